using PhotoReceipt.Core.Orders;

namespace PhotoReceipt.Api.Tests.Core;

public sealed class ImageNumberGeneratorTests
{
    [Fact]
    public void Numbers_are_16_unambiguous_symbols_with_at_least_60_random_bits()
    {
        Assert.Equal(32, ImageNumberGenerator.Alphabet.Distinct().Count());
        Assert.DoesNotContain('0', ImageNumberGenerator.Alphabet);
        Assert.DoesNotContain('O', ImageNumberGenerator.Alphabet);
        Assert.DoesNotContain('1', ImageNumberGenerator.Alphabet);
        Assert.DoesNotContain('I', ImageNumberGenerator.Alphabet);
        Assert.True(ImageNumberGenerator.RandomSymbols * Math.Log2(ImageNumberGenerator.Alphabet.Length) >= 60);

        var numbers = Enumerable.Range(0, 2000).Select(_ => ImageNumberGenerator.Generate()).ToList();
        Assert.All(numbers, n =>
        {
            Assert.Equal(16, n.Length);
            Assert.All(n, c => Assert.Contains(c, ImageNumberGenerator.Alphabet));
            Assert.True(ImageNumberGenerator.IsWellFormed(n), n);
        });
        Assert.Equal(numbers.Count, numbers.Distinct().Count());
    }

    [Fact]
    public void Random_symbols_are_uniform_over_the_alphabet()
    {
        // 4000 numbers × 15 random symbols = 60 000 draws, 1875 expected per symbol. A chi-square over
        // 31 degrees of freedom above 70 has probability < 0.01 % for a uniform source.
        var counts = new int[32];
        for (var i = 0; i < 4000; i++)
        {
            foreach (var c in ImageNumberGenerator.Generate()[..15]) counts[ImageNumberGenerator.Alphabet.IndexOf(c, StringComparison.Ordinal)]++;
        }
        var expected = 60000 / 32.0;
        var chiSquare = counts.Sum(c => (c - expected) * (c - expected) / expected);
        Assert.True(chiSquare < 70, $"chi-square {chiSquare:F1}");
    }

    [Fact]
    public void Every_single_symbol_error_is_detected()
    {
        for (var round = 0; round < 20; round++)
        {
            var number = ImageNumberGenerator.Generate();
            for (var pos = 0; pos < number.Length; pos++)
            {
                foreach (var replacement in ImageNumberGenerator.Alphabet.Where(c => c != number[pos]))
                {
                    var typo = string.Concat(number.AsSpan(0, pos), replacement.ToString(), number.AsSpan(pos + 1));
                    Assert.False(ImageNumberGenerator.IsWellFormed(typo), $"{number} → {typo}");
                }
            }
        }
    }

    [Fact]
    public void Every_transposition_of_two_different_symbols_is_detected()
    {
        for (var round = 0; round < 50; round++)
        {
            var number = ImageNumberGenerator.Generate();
            for (var i = 0; i < number.Length; i++)
            {
                for (var j = i + 1; j < number.Length; j++)
                {
                    if (number[i] == number[j]) continue;
                    var swapped = number.ToCharArray();
                    (swapped[i], swapped[j]) = (swapped[j], swapped[i]);
                    Assert.False(ImageNumberGenerator.IsWellFormed(new string(swapped)), $"{number} swap {i},{j}");
                }
            }
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("23456789ABCDEFG")]      // 15 symbols
    [InlineData("23456789ABCDEFGHJ")]    // 17 symbols
    [InlineData("0000000000000000")]     // 0 is not in the alphabet
    public void Malformed_numbers_are_refused(string? number)
    {
        Assert.False(ImageNumberGenerator.IsWellFormed(number));
    }

    [Fact]
    public void Lower_case_and_the_check_symbol_matter()
    {
        Assert.False(ImageNumberGenerator.IsWellFormed("322222222222222z"));
        var number = ImageNumberGenerator.Generate();

        // The check symbol the generator appended is the only one that completes the payload.
        var payload = number[..15];
        var valid = ImageNumberGenerator.Alphabet.Where(c => ImageNumberGenerator.IsWellFormed(payload + c)).ToList();
        Assert.Equal([number[15]], valid);
    }

    [Fact]
    public void A_known_payload_gets_the_check_symbol_computed_by_hand()
    {
        // Payload "3" then fourteen "2": values 1, 0 … 0. Folding x∘y = α·x + y leaves α¹⁴ in GF(32)
        // with x⁵ = x² + 1: α¹⁰ = (x² + 1)² = x⁴ + 1, α¹⁴ = x⁸ + x⁴ with x⁸ = x³·x⁵ = x³ + x² + 1, so
        // α¹⁴ = 11101; the check value is α·α¹⁴ = x⁵ + x⁴ + x³ + x = 11111 (31), the symbol 'Z'.
        Assert.Equal(31, ImageNumberGenerator.CheckValue("322222222222222"));
        Assert.True(ImageNumberGenerator.IsWellFormed("322222222222222Z"));
    }
}
