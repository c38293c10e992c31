namespace PhotoReceipt.Core.WeChat;

/// <summary>
/// The WeChat open API as the rest of the app needs it. The real client speaks the wire format of
/// ../shared/reference/wechat.md; in sandbox mode (no AppId configured) calls are recorded instead of sent.
/// </summary>
public interface IWeChatApi
{
    /// <summary>jscode2session: exchanges a wx.login code for the user's openid and session key.</summary>
    Task<WeChatResult<WeChatSession>> Code2SessionAsync(string code, CancellationToken cancellationToken);
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
