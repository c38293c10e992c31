using System.Globalization;

namespace PhotoReceipt.Core.Identity;

/// <summary>
/// The 18-character resident ID number of GB 11643-1999: 6-digit region code, 8-digit birth date,
/// 3-digit sequence and an ISO 7064 MOD 11-2 check character (0–9 or X).
/// </summary>
public static class ChineseIdNumber
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    /// <summary>Upper-cases a trailing x and trims spaces, so that look-ups hash the same text.</summary>
    public static string Normalize(string value) => value.Trim().ToUpperInvariant();

    public static bool IsValid(string? value, DateOnly today) => Validate(value, today) is null;

    /// <summary>Null when valid; otherwise a reason in Chinese that a user understands.</summary>
    public static string? Validate(string? value, DateOnly today)
    {
        if (string.IsNullOrWhiteSpace(value)) return "请填写身份证号码";
        var id = Normalize(value);
        if (id.Length != 18) return "身份证号码应为18位";
        for (var i = 0; i < 17; i++)
            if (!char.IsAsciiDigit(id[i])) return "身份证号码前17位应为数字";
        if (!char.IsAsciiDigit(id[17]) && id[17] != 'X') return "身份证号码最后一位应为数字或X";
        if (!DateOnly.TryParseExact(id.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birth)
            || birth > today || birth.Year < 1900)
            return "身份证号码中的出生日期不正确";
        if (CheckCharacter(id.AsSpan(0, 17)) != id[17]) return "身份证号码校验位不正确，请核对";
        return null;
    }

    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++) sum += (first17[i] - '0') * Weights[i];
        return CheckCharacters[sum % 11];
    }

    /// <summary>Shows only the last four characters, as support views must.</summary>
    public static string Mask(string id) => id.Length <= 4 ? new string('*', id.Length) : new string('*', id.Length - 4) + id[^4..];
}
