using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using PhotoReceipt.Core.WeChat;
using System.Text.Json;
using PhotoReceipt.Data.WeChat;
using PhotoReceipt.WeChat.Http;
using PhotoReceipt.WeChat.Api;

namespace PhotoReceipt.WeChat.Sandbox;

/// <summary>
/// Sandbox mode (no AppId configured): nothing leaves the machine. Any login code maps to a stable
/// test openid derived from the code, so a developer who reuses a code is the same user. Messages are
/// validated exactly like the real client and then recorded for the console instead of sent.
/// </summary>
public sealed class SandboxWeChatApi(
    SandboxMessageStore recorded,
    ConversationLog conversation,
    MediaCheckStore mediaChecks,
    ILogger<SandboxWeChatApi> log) : IWeChatApi
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

    public async Task<WeChatResult<WeChatAck>> SendSubscribeMessageAsync(SubscribeMessage message, CancellationToken cancellationToken)
    {
        if (!SubscribeMessageRules.TryNormalize(message.Data, out var data, out var problem))
            return WeChatResult<WeChatAck>.Error(47003, "refused before sending: " + problem);
        var payload = new { touser = message.ToOpenId, template_id = message.TemplateId, page = message.Page, lang = message.Lang, data };
        await recorded.RecordAsync(SandboxMessageStore.Subscribe, message.ToOpenId, message.TemplateId, null, JsonSerializer.Serialize(payload, WeChatJson.Options), cancellationToken);
        return WeChatResult<WeChatAck>.Success(WeChatAck.Instance);
    }

    /// <summary>
    /// No push event can come in sandbox mode, so the check completes at once with "pass" (label 100);
    /// <see cref="MediaCheckStore.FindByPhotoAsync"/> shows it like a real verdict.
    /// </summary>
    public async Task<WeChatResult<string>> StartImageCheckAsync(MediaCheckRequest request, CancellationToken cancellationToken)
    {
        var traceId = "sandbox_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        await mediaChecks.RecordAsync(traceId, request.PhotoId, cancellationToken);
        await mediaChecks.CompleteAsync(traceId, "pass", 100, 0, cancellationToken);
        return WeChatResult<string>.Success(traceId);
    }

    public Task<WeChatResult<WxaCodeImage>> GetUnlimitedWxaCodeAsync(WxaCodeRequest request, CancellationToken cancellationToken)
    {
        if (!WxaCodeRules.IsValidScene(request.Scene))
            return Task.FromResult(WeChatResult<WxaCodeImage>.Error(40169, "invalid scene"));
        return Task.FromResult(WeChatResult<WxaCodeImage>.Success(new WxaCodeImage(SandboxCodeImage.Render(request.Scene), "image/png")));
    }

    public async Task<WeChatResult<WeChatAck>> SendCustomerServiceMessageAsync(CustomerServiceMessage message, CancellationToken cancellationToken)
    {
        var (msgType, content, payload) = message switch
        {
            CustomerServiceText t => ("text", t.Content, (object)new { content = t.Content }),
            CustomerServiceImage i => ("image", $"image {i.FileName} ({i.Image.Length} bytes)", new { file_name = i.FileName, bytes = i.Image.Length }),
            CustomerServicePage p => ("miniprogrampage", p.Title + " → " + p.PagePath, new { title = p.Title, pagepath = p.PagePath }),
            _ => throw new ArgumentException($"Unknown customer-service message {message.GetType().Name}.", nameof(message)),
        };
        await recorded.RecordAsync(SandboxMessageStore.CustomerService, message.ToOpenId, null, msgType, JsonSerializer.Serialize(payload, WeChatJson.Options), cancellationToken);
        await conversation.AppendAsync(message.ToOpenId, ConversationLog.Outbound, msgType, content, cancellationToken);
        return WeChatResult<WeChatAck>.Success(WeChatAck.Instance);
    }

    public Task<WeChatResult<WeChatAck>> UploadShippingInfoAsync(ShippingInfo info, CancellationToken cancellationToken)
    {
        log.LogInformation("Sandbox: shipping of {OutTradeNo} not reported (no real payment exists)", info.OutTradeNo ?? info.TransactionId);
        return Task.FromResult(WeChatResult<WeChatAck>.Success(WeChatAck.Instance));
    }
}
