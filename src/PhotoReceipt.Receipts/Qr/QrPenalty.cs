namespace PhotoReceipt.Receipts.Qr;

/// <summary>
/// The mask penalty score of ISO/IEC 18004 §7.8.3 (weights N1 = 3, N2 = 3, N3 = 40, N4 = 10); the
/// encoder keeps the mask with the lowest score so that scanners see no false finder patterns and
/// a balanced dark/light ratio.
/// </summary>
internal static class QrPenalty
{
    /// <summary>A square module grid as the scorer sees it: size and dark(x, y).</summary>
    internal readonly record struct QrGrid(int Size, Func<int, int, bool> Dark);

    public static int Score(int size, Func<int, int, bool> dark) => Score(new QrGrid(size, dark));

    private static int Score(QrGrid m) => Runs(m) + Blocks(m) + FinderLike(m) + Balance(m);

    /// <summary>N1: every run of 5+ same-coloured modules in a row or column scores 3 + (length − 5).</summary>
    internal static int Runs(QrGrid m)
    {
        var score = 0;
        for (var line = 0; line < m.Size; line++)
        {
            score += RunScore(m, i => m.Dark(i, line));
            score += RunScore(m, i => m.Dark(line, i));
        }
        return score;
    }

    private static int RunScore(QrGrid m, Func<int, bool> at)
    {
        var score = 0;
        var run = 1;
        for (var i = 1; i <= m.Size; i++)
        {
            if (i < m.Size && at(i) == at(i - 1))
            {
                run++;
                continue;
            }
            if (run >= 5) score += 3 + (run - 5);
            run = 1;
        }
        return score;
    }

    /// <summary>N2: every 2×2 block of one colour (overlapping blocks counted separately) scores 3.</summary>
    internal static int Blocks(QrGrid m)
    {
        var score = 0;
        for (var y = 0; y < m.Size - 1; y++)
        {
            for (var x = 0; x < m.Size - 1; x++)
            {
                var c = m.Dark(x, y);
                if (c == m.Dark(x + 1, y) && c == m.Dark(x, y + 1) && c == m.Dark(x + 1, y + 1)) score += 3;
            }
        }
        return score;
    }

    /// <summary>
    /// N3: each dark-light-dark-dark-dark-light-dark (1:1:3:1:1) run with four light modules before or
    /// after it scores 40; the area beyond the symbol edge counts as light (it is the quiet zone).
    /// </summary>
    internal static int FinderLike(QrGrid m)
    {
        var score = 0;
        for (var line = 0; line < m.Size; line++)
        {
            score += FinderScore(m, i => m.Dark(i, line));
            score += FinderScore(m, i => m.Dark(line, i));
        }
        return score;
    }

    private static readonly bool[] Finder = [true, false, true, true, true, false, true];

    private static int FinderScore(QrGrid m, Func<int, bool> at)
    {
        var score = 0;
        for (var start = 0; start + Finder.Length <= m.Size; start++)
        {
            var match = true;
            for (var k = 0; k < Finder.Length && match; k++) match = at(start + k) == Finder[k];
            if (!match) continue;
            if (LightSpan(m, at, start - 4, start) || LightSpan(m, at, start + 7, start + 11)) score += 40;
        }
        return score;
    }

    private static bool LightSpan(QrGrid m, Func<int, bool> at, int from, int to)
    {
        for (var i = Math.Max(from, 0); i < Math.Min(to, m.Size); i++)
        {
            if (at(i)) return false;
        }
        return true;
    }

    /// <summary>N4: 10 points for each full 5 % step the dark share lies away from 50 %.</summary>
    internal static int Balance(QrGrid m)
    {
        var dark = 0;
        for (var y = 0; y < m.Size; y++)
        {
            for (var x = 0; x < m.Size; x++)
            {
                if (m.Dark(x, y)) dark++;
            }
        }
        var total = m.Size * m.Size;
        return Math.Abs((dark * 2) - total) * 10 / total * 10;
    }
}
