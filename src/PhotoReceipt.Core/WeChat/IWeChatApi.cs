namespace PhotoReceipt.Core.WeChat;

/// <summary>
/// The WeChat open API as the rest of the app needs it. The real client speaks the wire format of
/// ../shared/reference/wechat.md; in sandbox mode (no AppId configured) calls are recorded instead of sent.
/// Transport failures (timeouts, refused connections, HTTP 5xx) throw <see cref="WeChatTransportException"/>;
/// everything WeChat answers comes back as a <see cref="WeChatResult{T}"/>.
/// </summary>
public interface IWeChatApi
{
    /// <summary>jscode2session: exchanges a wx.login code for the user's openid and session key.</summary>
    Task<WeChatResult<WeChatSession>> Code2SessionAsync(string code, CancellationToken cancellationToken);

    /// <summary>
    /// subscribeMessage.send ("服务通知"). Values are validated and safely truncated per keyword type before
    /// sending; a value that cannot be made valid is refused locally with errcode 47003, as WeChat would.
    /// </summary>
    Task<WeChatResult<WeChatAck>> SendSubscribeMessageAsync(SubscribeMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// media_check_async for an image: returns the trace_id and remembers which photo it belongs to, so the
    /// wxa_media_check push event (arriving within 30 min) can be matched back to the photo.
    /// </summary>
    Task<WeChatResult<string>> StartImageCheckAsync(MediaCheckRequest request, CancellationToken cancellationToken);

    /// <summary>getwxacodeunlimit: the mini-program code image for a scene.</summary>
    Task<WeChatResult<WxaCodeImage>> GetUnlimitedWxaCodeAsync(WxaCodeRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Customer-service send (text, image, mini-program page card). Images and thumbnails are uploaded as
    /// temporary media first. Successful sends are written to the conversation log.
    /// </summary>
    Task<WeChatResult<WeChatAck>> SendCustomerServiceMessageAsync(CustomerServiceMessage message, CancellationToken cancellationToken);

    /// <summary>upload_shipping_info: reports a virtual-goods delivery so WeChat releases the payment.</summary>
    Task<WeChatResult<WeChatAck>> UploadShippingInfoAsync(ShippingInfo info, CancellationToken cancellationToken);
}

/// <summary>The user's identity from jscode2session. The session key never leaves the server.</summary>
public sealed record WeChatSession(string OpenId, string SessionKey, string? UnionId);

/// <summary>An API call's outcome: a value, or WeChat's errcode/errmsg (with the rid support asks for).</summary>
public sealed record WeChatResult<T>(T? Value, int ErrCode, string? ErrMsg, string? Rid)
{
    public bool Ok => ErrCode == 0 && Value is not null;
    public static WeChatResult<T> Success(T value) => new(value, 0, null, null);
    public static WeChatResult<T> Error(int errCode, string? errMsg, string? rid = null) => new(default, errCode, errMsg, rid);
}

/// <summary>The value of a call whose success carries no data.</summary>
public sealed record WeChatAck
{
    public static readonly WeChatAck Instance = new();
}

/// <summary>WeChat could not be reached or answered outside its protocol (timeout, connection refused, 5xx).</summary>
public sealed class WeChatTransportException : Exception
{
    public WeChatTransportException(string message) : base(message) { }
    public WeChatTransportException(string message, Exception innerException) : base(message, innerException) { }
    public WeChatTransportException() { }
}
