using PhotoReceipt.Data.WeChat;
using System.Net.Http.Headers;
using PhotoReceipt.Core.WeChat;
using PhotoReceipt.WeChat.Http;

namespace PhotoReceipt.WeChat.Api;

internal sealed partial class WeChatApiClient
{
    public async Task<WeChatResult<WeChatAck>> SendCustomerServiceMessageAsync(CustomerServiceMessage message, CancellationToken cancellationToken)
    {
        object body;
        string msgType;
        string? logged;
        switch (message)
        {
            case CustomerServiceText text:
                (msgType, logged) = ("text", text.Content);
                body = new { touser = text.ToOpenId, msgtype = msgType, text = new { content = text.Content } };
                break;
            case CustomerServiceImage image:
            {
                var media = await UploadTempImageAsync(image.Image, image.FileName, cancellationToken);
                if (!media.Ok) return WeChatResult<WeChatAck>.Error(media.ErrCode, media.ErrMsg, media.Rid);
                (msgType, logged) = ("image", "media_id:" + media.Value);
                body = new { touser = image.ToOpenId, msgtype = msgType, image = new { media_id = media.Value } };
                break;
            }
            case CustomerServicePage page:
            {
                var media = await UploadTempImageAsync(page.Thumbnail, page.ThumbnailFileName, cancellationToken);
                if (!media.Ok) return WeChatResult<WeChatAck>.Error(media.ErrCode, media.ErrMsg, media.Rid);
                (msgType, logged) = ("miniprogrampage", page.Title + " → " + page.PagePath);
                body = new
                {
                    touser = page.ToOpenId,
                    msgtype = msgType,
                    miniprogrampage = new { title = page.Title, pagepath = page.PagePath, thumb_media_id = media.Value },
                };
                break;
            }
            default:
                throw new ArgumentException($"Unknown customer-service message {message.GetType().Name}.", nameof(message));
        }
        var result = await WithTokenAsync(token => http.PostJsonAsync("/cgi-bin/message/custom/send", TokenQuery(token), body, cancellationToken),
            _ => WeChatAck.Instance, cancellationToken);
        if (result.Ok)
            await conversation.AppendAsync(message.ToOpenId, ConversationLog.Outbound, msgType, logged, cancellationToken);
        return result;
    }

    /// <summary>Temporary media (valid 3 days): multipart field <c>media</c> in WeChat's own format, returns media_id.</summary>
    internal Task<WeChatResult<string>> UploadTempImageAsync(byte[] image, string fileName, CancellationToken ct) =>
        WithTokenAsync(token => http.PostAsync("/cgi-bin/media/upload", [.. TokenQuery(token), new("type", "image")],
            () => WeChatMultipart.File("media", fileName, fileName.EndsWith(".png", StringComparison.OrdinalIgnoreCase) ? "image/png" : "image/jpeg", image),
            ct), reply => reply.Json.TryGetProperty("media_id", out var id) ? WeChatJson.ReadText(id) : null, ct);
}
