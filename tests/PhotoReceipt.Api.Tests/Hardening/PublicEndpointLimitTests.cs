using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection;
using PhotoReceipt.Api.Tests.Review;
using PhotoReceipt.Api.Tests.Support;
using PhotoReceipt.Api.Tests.WeChat;

namespace PhotoReceipt.Api.Tests.Hardening;

/// <summary>WeChat push and pay (the fake's keys) and an external photo center: every public endpoint is live.</summary>
public sealed class AllCallbacksApiFactory : WeChatApiFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        .. base.Settings,
        new("PhotoCenter:Mode", "Http"),
        new("PhotoCenter:Http:BaseUrl", "http://127.0.0.1:9"),
        new("PhotoCenter:Http:Secret", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))),
    ];
}

/// <summary>
/// Public endpoints refuse what they cannot use before reading it: an announced body over the
/// endpoint's limit is a 413 problem at once, a chunked one is cut off at the limit, and a
/// feature that is not configured is a 404 that reads nothing.
/// </summary>
public sealed class PublicEndpointLimitTests(AllCallbacksApiFactory app) : IClassFixture<AllCallbacksApiFactory>
{
    private const long Huge = 29L * 1024 * 1024;
    public static TheoryData<string> PublicPosts => ["/wechat/push", "/wechat/pay/notify", "/photo-center/callback", "/console/login"];

    /// <summary>Posts <paramref name="length"/> filler bytes; returns the answer and how many of them the app read.</summary>
    internal static async Task<(HttpResponseMessage Response, long Read)> PostFillerAsync(ApiFactory app, HttpClient client, string path, long length,
        bool announce, string contentType = "application/json")
    {
        var content = new StreamContent(new FillerStream(length));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (announce) content.Headers.ContentLength = length;
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (!announce) request.Headers.TransferEncodingChunked = true;
        var meter = Guid.NewGuid().ToString("N");
        request.Headers.Add(BodyMeter.Header, meter);
        var response = await client.SendAsync(request);
        return (response, app.Bodies.BytesRead(meter));
    }

    private async Task<HttpClient> LoginAsync() => (await app.LoginWithFakeAsync()).Client;

    [Theory]
    [MemberData(nameof(PublicPosts))]
    public async Task An_announced_29_MB_body_is_refused_with_413_before_it_is_read(string path)
    {
        var mark = app.Logs.Mark;
        var (response, read) = await PostFillerAsync(app, app.CreateClient(), path, Huge, announce: true,
            path.StartsWith("/console", StringComparison.Ordinal) ? "application/x-www-form-urlencoded" : "application/json");
        var problem = await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains(" KB）", problem.GetProperty("detail").GetString(), StringComparison.Ordinal); // says what the limit is
        Assert.Equal(0, read);
        Assert.DoesNotContain(app.Logs.Since(mark), e => e.Level >= LogLevel.Error);
    }

    [Theory]
    [InlineData("/wechat/push", 256 * 1024)]
    [InlineData("/wechat/pay/notify", 16 * 1024)]
    [InlineData("/photo-center/callback", 64 * 1024)]
    public async Task A_chunked_body_is_cut_off_at_the_endpoints_limit(string path, int limit)
    {
        var (response, read) = await PostFillerAsync(app, app.CreateClient(), path, 4L * 1024 * 1024, announce: false);
        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.InRange(read, 1, limit + 8192);
        // A body just under the limit still gets through to the signature check (401/400, not 413).
        var (small, _) = await PostFillerAsync(app, app.CreateClient(), path, limit - 1, announce: false);
        Assert.NotEqual(HttpStatusCode.RequestEntityTooLarge, small.StatusCode);
        Assert.True((int)small.StatusCode is >= 400 and < 500, $"{path}: {(int)small.StatusCode}");
    }

    [Fact]
    public async Task A_large_JSON_body_on_the_mini_program_API_says_the_request_is_too_large_not_the_photo()
    {
        var client = await LoginAsync();
        var (response, _) = await PostFillerAsync(app, client, "/api/v1/orders", 1024 * 1024, announce: true);
        var problem = await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("64 KB", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("照片", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_JSON_endpoint_sent_a_form_says_to_send_JSON_not_a_photo()
    {
        var client = await LoginAsync();
        var response = await client.PostAsync("/api/v1/orders", new FormUrlEncodedContent([new("productId", "x")]));
        var problem = await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("JSON", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("照片", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Duplicate_JSON_keys_are_refused_with_400()
    {
        var client = await LoginAsync();
        var json = """{"productId":"residence-permit-shenzhen","photoId":"0190a000-0000-7000-8000-000000000000","applicant":{"name":"张三","name":"李四","idNumber":"x","phone":"13812345678"},"consentVersion":"2026-11"}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        await (await client.SendAsync(request)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(0, await app.QueryScalarAsync<int>("SELECT count(*) FROM orders WHERE applicant_name_masked LIKE '李%'"));
    }

    [Fact]
    public async Task Console_login_with_a_5_MB_field_2000_keys_or_a_truncated_multipart_body_is_a_4xx_problem_never_a_500()
    {
        var mark = app.Logs.Mark;
        var client = app.ConsoleClient();

        var bigField = new StringContent("username=a&password=" + new string('x', 5 * 1024 * 1024), Encoding.ASCII, "application/x-www-form-urlencoded");
        await (await client.PostAsync("/console/login", bigField)).AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);

        // With a valid antiforgery cookie and token, so that the form is really parsed (without them the
        // antiforgery check refuses first, from the missing cookie, and nothing is read).
        var token = await client.TokenAsync("/console/login");
        var manyKeys = new StringContent($"__RequestVerificationToken={Uri.EscapeDataString(token)}&" + string.Join('&', Enumerable.Range(0, 2000).Select(_ => "a=")),
            Encoding.ASCII, "application/x-www-form-urlencoded");
        var tooMany = await (await client.PostAsync("/console/login", manyKeys)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("表单", tooMany.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var truncated = new ByteArrayContent(Encoding.ASCII.GetBytes(
            $"--xyz\r\nContent-Disposition: form-data; name=\"__RequestVerificationToken\"\r\n\r\n{token}\r\n--xyz\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\nalice"));
        truncated.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=xyz");
        var cut = await (await client.PostAsync("/console/login", truncated)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("完整", cut.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var noToken = await app.ConsoleClient().PostAsync("/console/login", new FormUrlEncodedContent([new("username", "a"), new("password", "b")]));
        var refused = await noToken.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("页面已过期", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);

        Assert.DoesNotContain(app.Logs.Since(mark), e => e.Level >= LogLevel.Error || e.Exception is not null);
    }

    [Fact]
    public async Task A_photo_center_callback_with_a_null_reason_code_is_a_400_not_a_crash()
    {
        var mark = app.Logs.Mark;
        var secret = Convert.FromBase64String(app.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["PhotoCenter:Http:Secret"]!);
        var body = $$"""{"decisionId":"d-{{Guid.NewGuid():N}}","orderId":"{{Guid.NewGuid()}}","attempt":1,"decision":"rejected","reasonCodes":[null]}""";
        var response = await CenterCallbacks.PostSignedAsync(app.CreateClient(), secret, body);
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("reasonCodes", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(app.Logs.Since(mark), e => e.Level >= LogLevel.Error);
    }
}

/// <summary>
/// The same endpoints with nothing configured (sandbox WeChat, the built-in review desk): a 404
/// that reads nothing of the body.
/// </summary>
public sealed class UnconfiguredCallbackTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    [Theory]
    [InlineData("/wechat/push")]
    [InlineData("/wechat/pay/notify")]
    [InlineData("/photo-center/callback")]
    public async Task A_callback_of_a_feature_that_is_not_configured_is_a_404_that_reads_nothing(string path)
    {
        foreach (var announce in new[] { true, false })
        {
            var (response, read) = await PublicEndpointLimitTests.PostFillerAsync(app, app.CreateClient(), path, 8L * 1024 * 1024, announce);
            await response.AssertProblemAsync(HttpStatusCode.NotFound);
            Assert.Equal(0, read);
        }
    }
}
