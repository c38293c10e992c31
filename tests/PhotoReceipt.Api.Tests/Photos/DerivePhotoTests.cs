using System.Net;
using PhotoReceipt.Api.Tests.Review;
using PhotoReceipt.Api.Tests.Support;

namespace PhotoReceipt.Api.Tests.Photos;

public sealed class DerivePhotoTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task A_processed_photo_is_standardized_for_another_product_without_a_new_upload()
    {
        var user = await app.LoginAsync();
        var original = await user.ProcessedPhotoAsync(app);
        var calls = app.Pipeline.Calls;

        var response = await user.PostAsync($"/api/v1/photos/{original}/derive?productId=exit-entry-guangdong&background=light-blue", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var derived = (await response.JsonAsync()).GetProperty("id").GetGuid();
        Assert.NotEqual(original, derived);
        Assert.Equal($"/api/v1/photos/{derived}", response.Headers.Location?.OriginalString);
        await app.RunJobsAsync();

        Assert.Equal(calls + 1, app.Pipeline.Calls);
        var photo = await (await user.GetAsync($"/api/v1/photos/{derived}")).JsonAsync();
        Assert.Equal("processed", photo.GetProperty("status").GetString());
        Assert.Equal("exit-entry-guangdong", photo.GetProperty("productId").GetString());
        Assert.Equal("cn-exit-entry", photo.GetProperty("specId").GetString());
        Assert.Equal("light-blue", photo.GetProperty("background").GetString());
        Assert.True(photo.GetProperty("report").GetProperty("checks").GetArrayLength() > 0);

        // Its own copy of the upload: deleting one photo's files can never take the other's.
        var keys = await app.QueryAsync<(Guid Id, string SourceKey, Guid? DerivedFrom)>(
            "SELECT id, source_key, derived_from FROM photos WHERE id = ANY(@ids)", new { ids = new[] { original, derived } });
        Assert.Equal(2, keys.Select(k => k.SourceKey).Distinct().Count());
        Assert.Equal(original, keys.Single(k => k.Id == derived).DerivedFrom);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(app.BlobRoot, keys[0].SourceKey)),
            await File.ReadAllBytesAsync(Path.Combine(app.BlobRoot, keys[1].SourceKey)));
    }

    [Fact]
    public async Task Deriving_checks_the_product_the_owner_and_the_consent()
    {
        var user = await app.LoginAsync();
        var photo = await user.ProcessedPhotoAsync(app);
        await (await user.PostAsync($"/api/v1/photos/{photo}/derive?productId=nope", null)).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await user.PostAsync($"/api/v1/photos/{photo}/derive?productId=residence-permit-shenzhen&background=red", null))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        var stranger = await app.LoginAsync();
        await (await stranger.PostAsync($"/api/v1/photos/{photo}/derive?productId=photo-1in", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await user.DeleteAsync("/api/v1/consents/face_photo")).StatusCode);
        await (await user.PostAsync($"/api/v1/photos/{photo}/derive?productId=photo-1in", null)).AssertProblemAsync(HttpStatusCode.Forbidden);
    }
}
