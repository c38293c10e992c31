using System.Security.Cryptography;
using PhotoReceipt.Core.Identity;

namespace PhotoReceipt.Api.Tests.Core;

public sealed class IdentityTests
{
    private static readonly DateOnly Today = new(2026, 11, 21);

    [Theory]
    [InlineData("11010519491231002X", null)] // the GB 11643 sample number
    [InlineData("11010519491231002x", null)] // lower-case x is the same number
    [InlineData("110105194912310021", "身份证号码校验位不正确，请核对")]
    [InlineData("11010519491331002X", "身份证号码中的出生日期不正确")]
    [InlineData("11010520991231002X", "身份证号码中的出生日期不正确")] // born in the future
    [InlineData("1101051949123100", "身份证号码应为18位")]
    [InlineData("1101051949123100AX", "身份证号码前17位应为数字")]
    [InlineData("", "请填写身份证号码")]
    public void Resident_id_numbers_follow_gb_11643(string id, string? error) =>
        Assert.Equal(error, ChineseIdNumber.Validate(id, Today));

    [Fact]
    public void Masks_show_only_what_support_may_see()
    {
        Assert.Equal("**************002X", ChineseIdNumber.Mask("11010519491231002X"));
        Assert.Equal("张*", PersonalDataMasks.Name("张三"));
        Assert.Equal("欧***", PersonalDataMasks.Name("欧阳娜娜"));
        Assert.Equal("138****5678", PersonalDataMasks.Phone("13812345678"));
        Assert.True(MainlandMobile.IsValid("+86 138-1234-5678"));
        Assert.False(MainlandMobile.IsValid("12812345678"));
        Assert.False(MainlandMobile.IsValid("1381234567"));
    }

    [Fact]
    public void Personal_data_survives_key_rotation_and_tampering_is_detected()
    {
        static string Key() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var lookup = Key();
        var k1 = Key();
        var old = new PiiProtector(new PiiOptions { CurrentKeyId = "k1", Keys = { ["k1"] = k1 }, LookupKey = lookup });
        var sealedByOld = old.Encrypt("11010519491231002X");

        var rotated = new PiiProtector(new PiiOptions { CurrentKeyId = "k2", Keys = { ["k1"] = k1, ["k2"] = Key() }, LookupKey = lookup });
        Assert.Equal("11010519491231002X", rotated.Decrypt(sealedByOld));
        var sealedByNew = rotated.Encrypt("张三");
        Assert.Equal("k2", System.Text.Encoding.ASCII.GetString(sealedByNew, 1, sealedByNew[0]));
        Assert.Equal("张三", rotated.Decrypt(sealedByNew));
        Assert.NotEqual(sealedByNew, rotated.Encrypt("张三")); // fresh nonce every time
        Assert.Equal(old.LookupHash("id", "x"), rotated.LookupHash("id", "x"));
        Assert.NotEqual(rotated.LookupHash("id", "x"), rotated.LookupHash("phone", "x"));

        sealedByNew[^1] ^= 1;
        Assert.ThrowsAny<CryptographicException>(() => rotated.Decrypt(sealedByNew));
        Assert.ThrowsAny<CryptographicException>(() => old.Decrypt(rotated.Encrypt("x"))); // k2 unknown to the old config
        Assert.Throws<InvalidOperationException>(() => new PiiProtector(new PiiOptions { CurrentKeyId = "k9", Keys = { ["k1"] = k1 }, LookupKey = lookup }));
        Assert.Throws<InvalidOperationException>(() => new PiiProtector(new PiiOptions { CurrentKeyId = "k1", Keys = { ["k1"] = "c2hvcnQ=" }, LookupKey = lookup }));
    }
}
