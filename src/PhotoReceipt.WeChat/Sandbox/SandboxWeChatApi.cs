using System.Security.Cryptography;
using System.Text;
using PhotoReceipt.Core.WeChat;

namespace PhotoReceipt.WeChat.Sandbox;

/// <summary>
/// Sandbox mode (no AppId configured): nothing leaves the machine. Any login code maps to a stable
/// test openid derived from the code, so a developer who reuses a code is the same user.
/// </summary>
public sealed class SandboxWeChatApi : IWeChatApi
{
    public Task<WeChatResult<WeChatSession>> Code2SessionAsync(string code, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(code))
            return Task.FromResult(WeChatResult<WeChatSession>.Error(40029, "invalid code"));
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes("sandbox-openid:" + code));
        var openId = "sandbox_" + Convert.ToHexStringLower(digest)[..20];
        var sessionKey = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes("sandbox-session-key:" + code))[..16]);
        return Task.FromResult(WeChatResult<WeChatSession>.Success(new WeChatSession(openId, sessionKey, null)));
    }
}
