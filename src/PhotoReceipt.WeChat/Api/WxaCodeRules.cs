namespace PhotoReceipt.WeChat.Api;

/// <summary>getwxacodeunlimit's scene alphabet: no '%', so nothing URL-encoded (hence no Chinese) fits.</summary>
public static class WxaCodeRules
{
    private const string Allowed = "!#$&'()*+,/:;=?@-._~";

    public static bool IsValidScene(string? scene) =>
        scene is { Length: > 0 and <= 32 } && scene.All(c => char.IsAsciiLetterOrDigit(c) || Allowed.Contains(c, StringComparison.Ordinal));
}
