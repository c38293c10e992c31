using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PhotoReceipt.Api.Tests.Review;
using PhotoReceipt.Api.Tests.Support;
using PhotoReceipt.Core.Jobs;
using PhotoReceipt.Data.Jobs;
using PhotoReceipt.Testing;

namespace PhotoReceipt.Api.Tests.Platform;

/// <summary>One attempt per job and a one-second lease, so a job dies at once, or as soon as its worker is gone.</summary>
public sealed class ShortLivedJobsApiFactory : ApiFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Jobs:MaxAttempts", "1"), new("Jobs:LeaseSeconds", "1")];
}

/// <summary>
/// The load test's finding: a photo whose processing job died stayed "processing", and the phone polled
/// forever. A dead job now ends the photo as failed, with a check that asks for a new upload.
/// </summary>
public sealed class PhotoGiveUpTests(ShortLivedJobsApiFactory app) : IClassFixture<ShortLivedJobsApiFactory>
{
    private static readonly byte[] Jpeg = File.ReadAllBytes(RepoPaths.Portrait("test0.jpg"));

    [Fact]
    public async Task A_pipeline_that_throws_on_every_attempt_ends_the_photo_as_failed_with_a_reason_to_upload_again()
    {
        var client = await app.LoginAsync();
        app.Pipeline.Next = _ => throw new InvalidOperationException("the pipeline broke for good");
        try
        {
            var id = (await (await client.UploadAsync(Jpeg)).JsonAsync()).GetProperty("id").GetGuid();
            await app.RunJobsAsync();
            await AssertGaveUpAsync(client, id);
            Assert.Equal(["dead"], await JobStatesAsync(id));
        }
        finally
        {
            app.Pipeline.Next = ScriptedPhotoPipeline.Usable;
        }
    }

    [Fact]
    public async Task A_worker_that_dies_during_the_last_attempt_ends_the_photo_as_failed_once_its_lease_runs_out()
    {
        var client = await app.LoginAsync();
        var id = (await (await client.UploadAsync(Jpeg)).JsonAsync()).GetProperty("id").GetGuid();
        var calls = app.Pipeline.Calls;
        // A worker claims the job and is killed mid-pipeline: it never completes, fails or releases it.
        var queue = app.Services.GetRequiredService<JobQueue>();
        var claimed = await queue.ClaimAsync("killed-worker", [JobKinds.ProcessPhoto.Name], CancellationToken.None);
        Assert.Equal(id, claimed!.PayloadAs(JobKinds.ProcessPhoto).PhotoId);
        Assert.Equal("processing", (await PhotoAsync(client, id)).GetProperty("status").GetString());

        await Task.Delay(1500);
        await app.RunJobsAsync();
        await AssertGaveUpAsync(client, id);
        Assert.Equal(calls, app.Pipeline.Calls); // buried, not run a second time
    }

    private static async Task AssertGaveUpAsync(HttpClient client, Guid id)
    {
        var photo = await PhotoAsync(client, id);
        Assert.Equal("failed", photo.GetProperty("status").GetString());
        var report = photo.GetProperty("report");
        Assert.False(report.GetProperty("usable").GetBoolean());
        var check = Assert.Single(report.GetProperty("checks").EnumerateArray());
        Assert.Equal("processing", check.GetProperty("id").GetString());
        Assert.Equal("fail", check.GetProperty("status").GetString());
        Assert.Equal("照片处理失败，请重新上传一张照片", check.GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Null, photo.GetProperty("previewUrl").ValueKind);
    }

    private static async Task<JsonElement> PhotoAsync(HttpClient client, Guid id)
    {
        var response = await client.GetAsync($"/api/v1/photos/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    private Task<List<string>> JobStatesAsync(Guid photoId) =>
        app.QueryAsync<string>("SELECT status FROM jobs WHERE kind = 'photo.process' AND payload->>'photoId' = @id", new { id = photoId.ToString() });
}
