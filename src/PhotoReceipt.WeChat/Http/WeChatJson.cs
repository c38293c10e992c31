using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace PhotoReceipt.WeChat.Http;

/// <summary>
/// JSON as WeChat speaks it: snake_case, numbers that sometimes arrive as strings, optional errcode.
/// (Lists that arrive as a bare object when they hold one item are handled in PushMessageParser.)
/// </summary>
internal static partial class WeChatJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Chinese text stays readable on the wire (and in the fake's recordings); WeChat accepts both forms.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Reads the errcode/errmsg envelope. A missing errcode means success: code2Session stopped sending
    /// <c>errcode:0</c> at some point, and stable_token never did.
    /// </summary>
    public static (int ErrCode, string? ErrMsg, string? Rid) ReadEnvelope(JsonElement root)
    {
        var errCode = 0;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("errcode", out var code))
            errCode = ReadInt(code) ?? 0;
        string? errMsg = null;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("errmsg", out var msg) && msg.ValueKind == JsonValueKind.String)
            errMsg = msg.GetString();
        return (errCode, errMsg, ParseRid(errMsg));
    }

    /// <summary>WeChat appends "rid: 6789abcd-…" to errmsg; support asks for it, so it is kept separately.</summary>
    public static string? ParseRid(string? errMsg)
    {
        if (string.IsNullOrEmpty(errMsg)) return null;
        var match = RidPattern().Match(errMsg);
        return match.Success ? match.Groups[1].Value : null;
    }

    public static int? ReadInt(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number when e.TryGetInt32(out var i) => i,
        JsonValueKind.String when int.TryParse(e.GetString(), System.Globalization.NumberStyles.Integer,
            System.Globalization.CultureInfo.InvariantCulture, out var s) => s,
        _ => null,
    };

    public static long? ReadLong(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number when e.TryGetInt64(out var i) => i,
        JsonValueKind.String when long.TryParse(e.GetString(), System.Globalization.NumberStyles.Integer,
            System.Globalization.CultureInfo.InvariantCulture, out var s) => s,
        _ => null,
    };

    /// <summary>A scalar as text whatever its JSON type ("100" and 100 both give "100").</summary>
    public static string? ReadText(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => e.GetRawText(),
        _ => null,
    };

    [GeneratedRegex(@"rid:\s*([0-9A-Za-z\-]+)")]
    private static partial Regex RidPattern();
}
