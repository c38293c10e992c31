using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PhotoReceipt.Core.PhotoCenter;
using PhotoReceipt.Core.Photos;
using PhotoReceipt.Data.Review;
using PhotoReceipt.WeChat.Http;

namespace PhotoReceipt.Worker.PhotoCenter;

/// <summary>
/// An external photo center over HTTP (docs/photo-center-http.md): POST {BaseUrl}/submissions with
/// a signed JSON body; its decision comes back later to /photo-center/callback. Anything but a 2xx
/// throws (a timeout too), so the job retries with backoff; the Idempotency-Key lets the center drop a
/// repeat. A factory client like the WeChat ones (<see cref="OutboundHttp"/>): base address and timeout from
/// options, no retries of its own. Named rather than typed because the job handlers that use it are
/// singletons: a client made per call keeps the factory's handler rotation (and so DNS changes of the center).
/// </summary>
public sealed class HttpPhotoCenter(IHttpClientFactory clients, IOptions<PhotoCenterOptions> options, TimeProvider clock) : IPhotoCenter
{
    private const string ClientName = "photo-center";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly byte[] _secret = options.Value.Http.SecretBytes();

    public static void Configure(IServiceCollection services) =>
        services.AddHttpClient(ClientName, (sp, c) =>
                c.BaseAddress = new Uri(sp.GetRequiredService<IOptions<PhotoCenterOptions>>().Value.Http.BaseUrl!.TrimEnd('/') + "/"))
            .AddCallTimeout(sp => TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<PhotoCenterOptions>>().Value.Http.TimeoutSeconds));

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
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, "submissions") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(CenterSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(CenterSignature.SignatureHeader, CenterSignature.Sign(_secret, timestamp, body));
        request.Headers.Add("Idempotency-Key", $"{s.OrderId:N}-{s.Attempt}");

        using var http = clients.CreateClient(ClientName);
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"Photo center answered {(int)response.StatusCode} to submission {s.OrderId}/{s.Attempt}.",
                null, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var answer = string.IsNullOrWhiteSpace(text) ? null : JsonSerializer.Deserialize<SubmitResponse>(text, Json);
        return new CenterAcceptance(answer?.SubmissionId);
    }
}
