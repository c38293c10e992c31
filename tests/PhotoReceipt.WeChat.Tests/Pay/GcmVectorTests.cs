using PhotoReceipt.WeChat.Pay;

namespace PhotoReceipt.WeChat.Tests.Pay;

public sealed class GcmVectorTests
{
    private const string Key = "0123456789abcdef0123456789abcdef";
    private const string Ciphertext = "XB6AYUjndFbh+NAj34vT6jX9mbJcV0bdIxf2VusbB7eArrnvM1kld01s1LQvjXDihqOrvhFAjEOYiTHIXg==";

    [Fact]
    public void Decrypts_the_reference_vector()
    {
        Assert.Equal("""{"out_trade_no":"T1","trade_state":"SUCCESS"}""",
            PayNotificationVerifier.TryDecrypt(Key, "a1b2c3d4e5f6", "transaction", Ciphertext));
    }

    [Fact]
    public void Encrypting_the_vector_plaintext_gives_the_vector_ciphertext()
    {
        Assert.Equal(Ciphertext, PayNotificationVerifier.Encrypt(Key, "a1b2c3d4e5f6", "transaction", """{"out_trade_no":"T1","trade_state":"SUCCESS"}"""));
    }

    [Theory]
    [InlineData("refund")]          // wrong associated data
    [InlineData(null)]              // associated data dropped
    public void Refuses_when_associated_data_differs(string? aad)
    {
        Assert.Null(PayNotificationVerifier.TryDecrypt(Key, "a1b2c3d4e5f6", aad, Ciphertext));
    }

    [Fact]
    public void Refuses_a_flipped_ciphertext_bit_and_a_wrong_key()
    {
        var bytes = Convert.FromBase64String(Ciphertext);
        bytes[3] ^= 1;
        Assert.Null(PayNotificationVerifier.TryDecrypt(Key, "a1b2c3d4e5f6", "transaction", Convert.ToBase64String(bytes)));
        Assert.Null(PayNotificationVerifier.TryDecrypt("fedcba9876543210fedcba9876543210", "a1b2c3d4e5f6", "transaction", Ciphertext));
    }
}
