using System.Security.Cryptography;

namespace PhotoReceipt.Core.Orders;

/// <summary>
/// Image numbers (图像号) for approved photos: 15 cryptographically random symbols (75 bits) and one
/// check symbol, 16 in all, over a 32-symbol alphabet without 0/O and 1/I so a number read off paper
/// and typed at a service window is not mistyped. Each number is drawn independently, so one user's
/// number says nothing about another's. Uniqueness is the database's job (a unique constraint; the
/// caller draws again on the 2⁻⁷⁵-unlikely conflict).
/// </summary>
/// <remarks>
/// The check symbol is a Damm-style check over the quasigroup x∘y = α·x + y in GF(32) (α a primitive
/// element): the running value is Σ αⁿ⁻ⁱ·dᵢ, and the check symbol brings it to 0. Being a quasigroup it
/// catches every single-symbol error; since αᵏ ≠ 1 for 0 &lt; k &lt; 31 it also catches every transposition
/// of two different symbols anywhere in the 16 (ISO 7064 MOD 37,36 would need 0/O and 1/I back).
/// </remarks>
public static class ImageNumberGenerator
{
    public const string Alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    public const int Length = 16;
    public const int RandomSymbols = Length - 1;

    /// <summary>x⁵ + x² + 1, a primitive polynomial, so α = x generates all 31 non-zero elements.</summary>
    private const int FieldPolynomial = 0b100101;

    public static string Generate()
    {
        Span<char> number = stackalloc char[Length];
        // GetItems draws each symbol uniformly (rejection sampling inside), so no modulo bias.
        RandomNumberGenerator.GetItems(Alphabet.AsSpan(), number[..RandomSymbols]);
        number[RandomSymbols] = Alphabet[CheckValue(number[..RandomSymbols])];
        return new string(number);
    }

    /// <summary>True for exactly 16 symbols of <see cref="Alphabet"/> (upper case) with a matching check symbol.</summary>
    public static bool IsWellFormed(string? number)
    {
        if (number is not { Length: Length }) return false;
        foreach (var ch in number)
        {
            if (Alphabet.IndexOf(ch, StringComparison.Ordinal) < 0) return false;
        }
        return Fold(number) == 0;
    }

    /// <summary>The symbol value that completes <paramref name="payload"/> to a check-sum of zero.</summary>
    internal static int CheckValue(ReadOnlySpan<char> payload) => MultiplyByAlpha(Fold(payload));

    private static int Fold(ReadOnlySpan<char> symbols)
    {
        var interim = 0;
        foreach (var ch in symbols)
        {
            var value = Alphabet.IndexOf(ch, StringComparison.Ordinal);
            if (value < 0) throw new ArgumentException($"'{ch}' is not an image-number symbol.", nameof(symbols));
            interim = MultiplyByAlpha(interim) ^ value;
        }
        return interim;
    }

    private static int MultiplyByAlpha(int x)
    {
        x <<= 1;
        return (x & 0b100000) != 0 ? x ^ FieldPolynomial : x;
    }
}
