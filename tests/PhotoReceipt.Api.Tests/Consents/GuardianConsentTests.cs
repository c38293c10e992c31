using System.Net;
using PhotoReceipt.Api.Tests.Review;
using PhotoReceipt.Api.Tests.Support;

namespace PhotoReceipt.Api.Tests.Consents;

public sealed class GuardianConsentTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    /// <summary>An ID number of a child: ten years old today, whatever the date.</summary>
    private static string ChildId() => TestIds.Valid(birth: DateTime.UtcNow.AddHours(8).AddYears(-10).ToString("yyyyMMdd"));

    [Fact]
    public async Task An_order_for_a_child_under_14_is_refused_without_a_guardians_consent_and_records_it_with_one()
    {
        var user = await app.LoginAsync();
        var photoId = await user.ProcessedPhotoAsync(app);
        var body = ApiClient.OrderBody(photoId, idNumber: ChildId(), name: "李小明");

        var refused = await (await user.PostOrderAsync(body)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("监护人", refused.GetProperty("errors").GetProperty("guardian")[0].GetString());

        var unticked = new { productId = "residence-permit-shenzhen", photoId, applicant = new { name = "李小明", idNumber = ChildId(), phone = "13812345678" },
            consentVersion = "2026-11", guardian = new { name = "李大明", relationship = "父亲", consent = false } };
        var notAgreed = await (await user.PostOrderAsync(unticked)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(notAgreed.GetProperty("errors").TryGetProperty("guardian.consent", out _), notAgreed.ToString());

        var withConsent = new { productId = "residence-permit-shenzhen", photoId, applicant = new { name = "李小明", idNumber = ChildId(), phone = "13812345678" },
            consentVersion = "2026-11", guardian = new { name = "李大明", relationship = "父亲", consent = true } };
        var created = await user.PostOrderAsync(withConsent);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.JsonAsync()).GetProperty("id").GetGuid();
        var guardian = (await user.OrderAsync(id)).GetProperty("guardian");
        Assert.Equal("父亲", guardian.GetProperty("relationship").GetString());
        Assert.Equal("李**", guardian.GetProperty("nameMasked").GetString());
        // The guardian's name is stored encrypted, never in clear.
        var stored = await app.QueryScalarAsync<byte[]>("SELECT guardian_name_enc FROM order_guardian_consents WHERE order_id = @id", new { id });
        Assert.DoesNotContain("李大明", System.Text.Encoding.UTF8.GetString(stored));
    }

    [Fact]
    public async Task An_adult_applicant_needs_no_guardian()
    {
        var user = await app.LoginAsync();
        var photoId = await user.ProcessedPhotoAsync(app);
        var created = await user.PostOrderAsync(ApiClient.OrderBody(photoId, idNumber: TestIds.Valid(birth: "20000101")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.False((await user.OrderAsync((await created.JsonAsync()).GetProperty("id").GetGuid())).TryGetProperty("guardian", out var g)
            && g.ValueKind != System.Text.Json.JsonValueKind.Null);
    }
}
