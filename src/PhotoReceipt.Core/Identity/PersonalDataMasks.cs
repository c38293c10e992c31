namespace PhotoReceipt.Core.Identity;

/// <summary>How personal data appears wherever it is shown or logged.</summary>
public static class PersonalDataMasks
{
    /// <summary>张三 → 张*, 欧阳娜娜 → 欧***, John Smith → J*********.</summary>
    public static string Name(string name)
    {
        var t = name.Trim();
        if (t.Length == 0) return "";
        var info = new System.Globalization.StringInfo(t);
        var n = info.LengthInTextElements;
        return n == 1 ? "*" : info.SubstringByTextElements(0, 1) + new string('*', n - 1);
    }

    /// <summary>13812345678 → 138****5678.</summary>
    public static string Phone(string phone) =>
        phone.Length == 11 ? string.Concat(phone.AsSpan(0, 3), "****", phone.AsSpan(7)) : new string('*', phone.Length);
}

/// <summary>Mainland China mobile numbers: 11 digits starting 13–19, an optional +86 prefix dropped.</summary>
public static class MainlandMobile
{
    public static string Normalize(string value)
    {
        var t = value.Trim().Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (t.StartsWith("+86", StringComparison.Ordinal)) t = t[3..];
        else if (t.StartsWith("0086", StringComparison.Ordinal)) t = t[4..];
        return t;
    }

    public static bool IsValid(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return false;
        var t = Normalize(value);
        return t.Length == 11 && t[0] == '1' && t[1] is >= '3' and <= '9' && t.All(char.IsAsciiDigit);
    }
}
