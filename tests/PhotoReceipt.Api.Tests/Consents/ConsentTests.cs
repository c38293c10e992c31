using System.Net;
using System.Net.Http.Json;
using PhotoReceipt.Api.Tests.Review;
using PhotoReceipt.Api.Tests.Support;
using PhotoReceipt.Core.Consents;
using PhotoReceipt.Testing;

namespace PhotoReceipt.Api.Tests.Consents;

public sealed class ConsentTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    private static byte[] Portrait => File.ReadAllBytes(RepoPaths.Portrait("test0.jpg"));

    [Fact]
    public async Task Upload_answers_403_until_the_face_photo_consent_of_the_current_version_is_on_record()
    {
        var user = await app.LoginWithoutConsentAsync();
        var photos = await app.QueryScalarAsync<long>("SELECT count(*) FROM photos");
        var refused = await (await user.UploadAsync(Portrait)).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("敏感个人信息", refused.GetProperty("detail").GetString());
        Assert.Equal("face_photo", refused.GetProperty("consentKind").GetString());
        Assert.Equal(photos, await app.QueryScalarAsync<long>("SELECT count(*) FROM photos"));

        // The privacy policy alone is not the separate consent the face photo needs.
        await user.ConsentAsync(ConsentCatalog.PrivacyPolicy);
        await (await user.UploadAsync(Portrait)).AssertProblemAsync(HttpStatusCode.Forbidden);

        await user.ConsentAsync(ConsentCatalog.FacePhoto);
        Assert.Equal(HttpStatusCode.Accepted, (await user.UploadAsync(Portrait)).StatusCode);
    }

    [Fact]
    public async Task The_list_shows_each_kind_with_its_version_and_this_users_consent_kept_with_its_time()
    {
        var user = await app.LoginWithoutConsentAsync();
        var before = await (await user.GetAsync("/api/v1/consents")).JsonAsync();
        Assert.Equal(14, before.GetProperty("guardianConsentAge").GetInt32());
        var kinds = before.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("kind").GetString()!);
        Assert.Equal(["face_photo", "privacy_policy"], kinds.Keys.Order());
        Assert.All(kinds.Values, k => Assert.False(k.GetProperty("given").GetBoolean()));
        Assert.Equal("人脸照片处理规则", kinds["face_photo"].GetProperty("title").GetString());

        var rows = await app.QueryScalarAsync<long>("SELECT count(*) FROM consents");
        await user.ConsentAsync(ConsentCatalog.FacePhoto);
        await user.ConsentAsync(ConsentCatalog.FacePhoto); // a second tap is the same consent
        var after = (await (await user.GetAsync("/api/v1/consents")).JsonAsync()).GetProperty("items").EnumerateArray()
            .ToDictionary(i => i.GetProperty("kind").GetString()!);
        Assert.True(after["face_photo"].GetProperty("given").GetBoolean());
        Assert.False(after["privacy_policy"].GetProperty("given").GetBoolean());
        var givenAt = after["face_photo"].GetProperty("givenAt").GetDateTime();
        Assert.True(Math.Abs((DateTime.UtcNow - givenAt.ToUniversalTime()).TotalMinutes) < 5);
        Assert.Equal(rows + 1, await app.QueryScalarAsync<long>("SELECT count(*) FROM consents"));
    }

    [Fact]
    public async Task Agreeing_to_another_version_than_the_current_text_is_refused()
    {
        var user = await app.LoginWithoutConsentAsync();
        var stale = await user.PostAsJsonAsync("/api/v1/consents", new { kind = "face_photo", version = "2020-01" });
        Assert.Contains("重新阅读", (await stale.AssertProblemAsync(HttpStatusCode.Conflict)).GetProperty("detail").GetString());
        await (await user.PostAsJsonAsync("/api/v1/consents", new { kind = "marketing", version = "2026-11" })).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await user.DeleteAsync("/api/v1/consents/marketing")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Withdrawing_the_face_photo_consent_deletes_the_photos_no_paid_order_needs()
    {
        var user = await app.LoginAsync();
        var loose = await user.ProcessedPhotoAsync(app);
        var unpaidPhoto = await user.ProcessedPhotoAsync(app);
        var paidPhoto = await user.ProcessedPhotoAsync(app);
        var unpaid = (await (await user.PostOrderAsync(ApiClient.OrderBody(unpaidPhoto))).JsonAsync()).GetProperty("id").GetGuid();
        var paid = (await (await user.PostOrderAsync(ApiClient.OrderBody(paidPhoto))).JsonAsync()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await user.PostAsync($"/api/v1/orders/{paid}/sandbox-pay", null)).StatusCode);
        var looseFiles = await app.QueryAsync<string>(
            "SELECT unnest(ARRAY[source_key, result_key, print_sheet_key]) FROM photos WHERE id = @loose", new { loose });
        Assert.Equal(3, looseFiles.Count(k => k is not null));

        var withdrawal = await (await user.DeleteAsync("/api/v1/consents/face_photo")).JsonAsync();
        Assert.True(withdrawal.GetProperty("withdrawn").GetBoolean());
        Assert.Equal(2, withdrawal.GetProperty("photosDeleted").GetInt32());
        Assert.Equal(1, withdrawal.GetProperty("ordersCancelled").GetInt32());

        // Gone for the user, from the blob store, and no unpaid order waits on a deleted photo.
        await (await user.GetAsync($"/api/v1/photos/{loose}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await user.GetAsync($"/api/v1/photos/{unpaidPhoto}")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.All(looseFiles.OfType<string>(), k => Assert.False(File.Exists(Path.Combine(app.BlobRoot, k)), k));
        Assert.Equal("cancelled", await app.StatusAsync(unpaid));
        Assert.Contains((await user.OrderAsync(unpaid)).GetProperty("timeline").EnumerateArray(),
            e => e.GetProperty("note").GetString() == "已撤回人脸照片授权，照片已删除");

        // The paid order keeps its photo; new uploads wait for a new consent.
        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync($"/api/v1/photos/{paidPhoto}")).StatusCode);
        Assert.Equal("queued", await app.StatusAsync(paid));
        await (await user.UploadAsync(Portrait)).AssertProblemAsync(HttpStatusCode.Forbidden);
    }
}
