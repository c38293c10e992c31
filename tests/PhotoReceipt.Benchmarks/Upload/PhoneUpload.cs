using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace PhotoReceipt.Benchmarks.Upload;

/// <summary>A portrait from the development set, read once and uploaded many times.</summary>
internal sealed record Fixture(string Name, byte[] Jpeg);

/// <summary>What happened to one upload. <see cref="Final"/> is processed or failed, or null when
/// the upload was not accepted or the photo was not ready within <see cref="PhoneUpload.GiveUp"/>.</summary>
internal sealed record UploadOutcome(string Photo, string Answer, double UploadMs)
{
    public bool Accepted => Answer == "202";
    public string? Final { get; init; }

    /// <summary>From the 202 to the answer of the first poll that saw the photo done.</summary>
    public double ReadyMs { get; init; }

    /// <summary>The server's own created → processed time, free of the polling rhythm.</summary>
    public double ServerMs { get; init; }

    /// <summary>When the photo was seen done, on the run's clock.</summary>
    public TimeSpan SeenReadyAt { get; init; }

    /// <summary>Whether the finished photo came with a check report (a failed one without is a pipeline error).</summary>
    public bool Reported { get; init; }

    public int PollErrors { get; init; }
}

/// <summary>
/// One user's upload as the mini-program makes it: POST the photo, then poll GET /photos/{id} on a
/// fixed rhythm until the worker has finished with it.
/// </summary>
internal static class PhoneUpload
{
    public const string ProductId = "residence-permit-shenzhen";

    // The mini-program's rhythm: a first look soon after the 202, then twice a second.
    public static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(300);
    public static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan GiveUp = TimeSpan.FromSeconds(60);

    private sealed record Accepted(Guid Id);

    private sealed record PhotoState(string Status, DateTime CreatedAt, DateTime? ProcessedAt, JsonElement? Report);

    public static async Task<UploadOutcome> RunAsync(HttpClient client, string token, Fixture photo, Stopwatch clock)
    {
        var sent = clock.Elapsed;
        Guid id;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/photos?productId={ProductId}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var file = new ByteArrayContent(photo.Jpeg);
            file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            request.Content = new MultipartFormDataContent { { file, "file", photo.Name } };
            using var response = await client.SendAsync(request);
            var uploadMs = (clock.Elapsed - sent).TotalMilliseconds;
            if (response.StatusCode != HttpStatusCode.Accepted)
                return new UploadOutcome(photo.Name, ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture), uploadMs);
            id = (await response.Content.ReadFromJsonAsync<Accepted>())!.Id;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return new UploadOutcome(photo.Name, ex.GetType().Name, (clock.Elapsed - sent).TotalMilliseconds);
        }

        var accepted = clock.Elapsed;
        var outcome = new UploadOutcome(photo.Name, "202", (accepted - sent).TotalMilliseconds);
        var pollErrors = 0;
        // Polls stand on a fixed grid from the 202 (300 ms, 800 ms, 1300 ms, …); a slot that passed while
        // the previous poll was still waiting for its answer is skipped, so one phone never has two in flight.
        for (var due = FirstPoll; due <= GiveUp; due += PollEvery)
        {
            var wait = accepted + due - clock.Elapsed;
            if (wait < TimeSpan.Zero) continue;
            await Task.Delay(wait);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/photos/{id}");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var response = await client.SendAsync(request);
                if (!response.IsSuccessStatusCode)
                {
                    pollErrors++;
                    continue;
                }
                var state = (await response.Content.ReadFromJsonAsync<PhotoState>())!;
                if (state.Status is "processed" or "failed")
                {
                    var seen = clock.Elapsed;
                    return outcome with
                    {
                        Final = state.Status,
                        ReadyMs = (seen - accepted).TotalMilliseconds,
                        ServerMs = ((state.ProcessedAt ?? state.CreatedAt) - state.CreatedAt).TotalMilliseconds,
                        SeenReadyAt = seen,
                        Reported = state.Report is { ValueKind: JsonValueKind.Object },
                        PollErrors = pollErrors,
                    };
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                pollErrors++;
            }
        }
        return outcome with { PollErrors = pollErrors }; // lost
    }
}
