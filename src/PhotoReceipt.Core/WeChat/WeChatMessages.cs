namespace PhotoReceipt.Core.WeChat;

/// <param name="Data">Keyword name (type prefix + index, e.g. <c>thing2</c>) → value.</param>
/// <param name="Page">Page opened from the card (may carry a query), or null for a card without a jump.</param>
/// <param name="MiniProgramState">developer | trial | formal; null uses the configured default.</param>
public sealed record SubscribeMessage(
    string ToOpenId,
    string TemplateId,
    IReadOnlyDictionary<string, string> Data,
    string? Page = null,
    string? MiniProgramState = null,
    string Lang = "zh_CN");

/// <param name="PhotoId">Our photo, remembered against the returned trace_id.</param>
/// <param name="MediaUrl">Publicly fetchable HTTPS URL whose signature outlives the 30-minute check window.</param>
/// <param name="Scene">1 profile, 2 comment, 3 forum, 4 social log.</param>
public sealed record MediaCheckRequest(Guid PhotoId, string MediaUrl, string OpenId, int Scene = 1);

/// <param name="Scene">≤32 visible characters of [0-9A-Za-z!#$&amp;'()*+,/:;=?@-._~].</param>
/// <param name="Page">No leading slash, no query; null opens the home page.</param>
/// <param name="EnvVersion">release | trial | develop.</param>
public sealed record WxaCodeRequest(
    string Scene,
    string? Page = null,
    bool CheckPath = true,
    string EnvVersion = "release",
    int Width = 430);

public sealed record WxaCodeImage(byte[] Bytes, string ContentType);

/// <summary>A customer-service message to one user, sent within WeChat's reply window.</summary>
public abstract record CustomerServiceMessage(string ToOpenId);

public sealed record CustomerServiceText(string ToOpenId, string Content) : CustomerServiceMessage(ToOpenId);

/// <param name="Image">JPEG or PNG bytes; uploaded as temporary media (valid 3 days) before sending.</param>
public sealed record CustomerServiceImage(string ToOpenId, byte[] Image, string FileName) : CustomerServiceMessage(ToOpenId);

/// <param name="Thumbnail">Card image bytes; uploaded as temporary media before sending.</param>
public sealed record CustomerServicePage(string ToOpenId, string Title, string PagePath, byte[] Thumbnail, string ThumbnailFileName)
    : CustomerServiceMessage(ToOpenId);

/// <summary>A virtual-goods delivery report for one paid order (logistics_type 3, delivery_mode 1).</summary>
/// <param name="TransactionId">WeChat's transaction id; when null the order is keyed by mchid + out_trade_no.</param>
public sealed record ShippingInfo(
    string PayerOpenId,
    string ItemDescription,
    DateTimeOffset UploadTime,
    string? TransactionId = null,
    string? MchId = null,
    string? OutTradeNo = null);
