using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using PhotoReceipt.Core.PhotoCenter;
using PhotoReceipt.Core.Photos;
using PhotoReceipt.Data.Review;

namespace PhotoReceipt.Worker.PhotoCenter;

/// <summary>
/// An external photo center over HTTP (docs/photo-center-http.md): POST {BaseUrl}/submissions with
/// a signed JSON body; its decision comes back later to /photo-center/callback. Anything but a 2xx
/// throws, so the job retries with backoff; the Idempotency-Key lets the center drop a repeat.
/// </summary>
public sealed class HttpPhotoCenter : IPhotoCenter, IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly HttpClient _http;
    private readonly byte[] _secret;
    private readonly TimeProvider _clock;

    public HttpPhotoCenter(IOptions<PhotoCenterOptions> options, TimeProvider clock)
    {
        var o = options.Value.Http;
        _secret = o.SecretBytes();
        _clock = clock;
        // One long-lived client; the pooled connection lifetime picks up DNS changes of the center.
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = new Uri(o.BaseUrl!.TrimEnd('/') + "/"),
            Timeout = TimeSpan.FromSeconds(o.TimeoutSeconds),
        };
    }

    public string Name => Centers.Http;

    private sealed record SubmitResponse(string? SubmissionId);

    public async Task<CenterAcceptance> SubmitAsync(CenterSubmission s, CancellationToken cancellationToken)
    {
        var photo = s.Photo.ToArray();
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            orderId = s.OrderId,
            orderNo = s.OrderNo,
            attempt = s.Attempt,
            productId = s.ProductId,
            documentType = s.DocumentType,
            specId = s.SpecId,
            photoJpeg = Convert.ToBase64String(photo),
            photoSha256 = Convert.ToHexStringLower(SHA256.HashData(photo)),
            report = JsonDocument.Parse(CheckReportJson.Serialize(s.Report)).RootElement,
        }, Json);
        var timestamp = _clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, "submissions") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(CenterSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(CenterSignature.SignatureHeader, CenterSignature.Sign(_secret, timestamp, body));
        request.Headers.Add("Idempotency-Key", $"{s.OrderId:N}-{s.Attempt}");

        using var response = await _http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"Photo center answered {(int)response.StatusCode} to submission {s.OrderId}/{s.Attempt}.",
                null, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var answer = string.IsNullOrWhiteSpace(text) ? null : JsonSerializer.Deserialize<SubmitResponse>(text, Json);
        return new CenterAcceptance(answer?.SubmissionId);
    }

    public void Dispose() => _http.Dispose();
}
