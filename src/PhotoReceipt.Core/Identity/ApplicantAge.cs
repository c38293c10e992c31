using System.Globalization;

namespace PhotoReceipt.Core.Identity;

/// <summary>The applicant's age as the birth date inside a resident ID number gives it.</summary>
public static class ApplicantAge
{
    /// <summary>Whole years on <paramref name="today"/> (China's calendar), or null when the number has no valid birth date.</summary>
    public static int? YearsOn(string idNumber, DateOnly today)
    {
        var id = ChineseIdNumber.Normalize(idNumber);
        if (id.Length != 18
            || !DateOnly.TryParseExact(id.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birth)
            || birth > today)
            return null;
        var years = today.Year - birth.Year;
        if (today < birth.AddYears(years)) years--;
        return years;
    }
}
