using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace PhotoReceipt.WeChat.Http;

/// <summary>
/// One file as multipart/form-data the way WeChat's and WeCom's upload endpoints parse it: the
/// boundary unquoted in Content-Type, <c>name="media"</c> quoted, a plain <c>filename="…"</c> and no
/// <c>filename*</c>. .NET's MultipartFormDataContent quotes the boundary and writes <c>name=media</c>
/// with <c>filename*=utf-8''…</c>, which WeChat answers with 41005 "media data missing"; SKIT's
/// HttpContentBuilder builds the same shape as this.
/// </summary>
public static class WeChatMultipart
{
    public static HttpContent File(string fieldName, string fileName, string contentType, byte[] bytes)
    {
        // Hex only: a token, so it is legal unquoted, and it cannot occur in the part headers.
        var boundary = "----WeChatBoundary" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var safeName = new string(fileName.Select(c => c is < ' ' or > '~' or '"' or '\\' ? '_' : c).ToArray());
        var head = Encoding.ASCII.GetBytes(
            $"--{boundary}\r\nContent-Disposition: form-data; name=\"{fieldName}\"; filename=\"{safeName}\"\r\nContent-Type: {contentType}\r\n\r\n");
        var tail = Encoding.ASCII.GetBytes($"\r\n--{boundary}--\r\n");
        var content = new ByteArrayContent([.. head, .. bytes, .. tail]);
        // MediaTypeHeaderValue writes a parameter value as given: a token stays unquoted.
        content.Headers.ContentType = new MediaTypeHeaderValue("multipart/form-data") { Parameters = { new NameValueHeaderValue("boundary", boundary) } };
        return content;
    }
}
