using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Dapper;
using Npgsql;
using PhotoReceipt.Api.Tests.Support;
using PhotoReceipt.Testing;

namespace PhotoReceipt.Api.Tests.Platform;

/// <summary>A 1 MB upload limit so that "too large" is cheap to test.</summary>
public sealed class SmallUploadApiFactory : ApiFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Uploads:MaxBytes", (1024 * 1024).ToString())];
}

public sealed class PhotoUploadTests(SmallUploadApiFactory app) : IClassFixture<SmallUploadApiFactory>
{
    private static readonly byte[] Jpeg = File.ReadAllBytes(RepoPaths.Portrait("test0.jpg"));

    [Fact]
    public async Task Upload_is_accepted_processed_by_the_worker_and_reported_with_a_signed_preview()
    {
        var client = await app.LoginAsync();
        var response = await client.UploadAsync(Jpeg);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.JsonAsync()).GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/photos/{id}", response.Headers.Location?.OriginalString);

        var before = await (await client.GetAsync($"/api/v1/photos/{id}")).JsonAsync();
        Assert.Equal("processing", before.GetProperty("status").GetString());
        Assert.Equal(JsonValueKindNull, before.GetProperty("previewUrl").ValueKind);

        Assert.True(await app.RunJobsAsync() >= 1);
        var after = await (await client.GetAsync($"/api/v1/photos/{id}")).JsonAsync();
        Assert.Equal("processed", after.GetProperty("status").GetString());
        Assert.Equal("jpeg", after.GetProperty("sourceFormat").GetString());
        Assert.True(after.GetProperty("report").GetProperty("usable").GetBoolean());
        Assert.Equal("pass", after.GetProperty("report").GetProperty("checks")[0].GetProperty("status").GetString());

        // The preview URL works without the bearer token (wx.downloadFile cannot send it) …
        var url = new Uri(after.GetProperty("previewUrl").GetString()!);
        var anonymous = app.CreateClient();
        var download = await anonymous.GetAsync(url.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("image/jpeg", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Jpeg, await download.Content.ReadAsByteArrayAsync());
        // … but not once tampered with.
        var forged = url.PathAndQuery.Replace("sig=", "sig=x", StringComparison.Ordinal);
        await (await anonymous.GetAsync(forged)).AssertProblemAsync(HttpStatusCode.Forbidden);
        var otherKey = url.PathAndQuery.Replace("standard.jpg", "review.png", StringComparison.Ordinal);
        await (await anonymous.GetAsync(otherKey)).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    [Fact]
    public async Task A_jpg_that_is_really_a_png_or_webp_is_sniffed_by_content()
    {
        var client = await app.LoginAsync();
        foreach (var (file, format) in new[] { ("test2.jpg", "png"), ("test1.jpg", "webp") })
        {
            var bytes = await File.ReadAllBytesAsync(RepoPaths.Portrait(file));
            if (bytes.Length > 1024 * 1024) continue;
            var response = await client.UploadAsync(bytes, fileName: file);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var id = (await response.JsonAsync()).GetProperty("id").GetGuid();
            var photo = await (await client.GetAsync($"/api/v1/photos/{id}")).JsonAsync();
            Assert.Equal(format, photo.GetProperty("sourceFormat").GetString());
        }
    }

    [Fact]
    public async Task Oversized_upload_is_413_and_leaves_nothing_behind()
    {
        var client = await app.LoginAsync();
        var big = new byte[1024 * 1024 + 10];
        Jpeg.CopyTo(big, 0);
        // Chunked, so the server cannot refuse it from Content-Length and must count while streaming.
        var content = new MultipartFormDataContent();
        var file = new StreamContent(new MemoryStream(big));
        file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        content.Add(file, "file", "big.jpg");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/photos?productId=residence-permit-shenzhen") { Content = new NonBufferedContent(content) };
        await (await client.SendAsync(request)).AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);

        // Announced as too large: refused unread.
        await (await client.UploadAsync(new byte[3 * 1024 * 1024])).AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);

        await using var db = NpgsqlDataSource.Create(app.ConnectionString);
        await using var conn = await db.OpenConnectionAsync();
        Assert.Equal(0, await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM photos WHERE source_bytes > 1048576"));
        Assert.Empty(Directory.GetFiles(Path.Combine(app.BlobRoot, ".tmp")));
    }

    [Fact]
    public async Task Not_an_image_is_415_and_empty_or_missing_files_are_400()
    {
        var client = await app.LoginAsync();
        await (await client.UploadAsync(Encoding.UTF8.GetBytes("%PDF-1.4 this is a document, not a photo"), fileName: "photo.jpg"))
            .AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        await (await client.UploadAsync([])).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await client.PostAsync("/api/v1/photos?productId=residence-permit-shenzhen", ApiClient.PhotoForm(Jpeg, field: "image")))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await client.PostAsync("/api/v1/photos?productId=residence-permit-shenzhen", new ByteArrayContent(Jpeg)))
            .AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        var body = await (await client.UploadAsync(Jpeg, productId: "no-such-product")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("productId", body.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        await (await client.PostAsync("/api/v1/photos?productId=residence-permit-shenzhen&background=red", ApiClient.PhotoForm(Jpeg)))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_truncated_multipart_body_is_400_and_stores_nothing()
    {
        var client = await app.LoginAsync();
        const string boundary = "----cut";
        var head = Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n");
        var body = head.Concat(Jpeg.Take(5000)).ToArray(); // no closing boundary: the client hung up
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={boundary}");
        await (await client.PostAsync("/api/v1/photos?productId=residence-permit-shenzhen", content)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Empty(Directory.GetFiles(Path.Combine(app.BlobRoot, ".tmp")));
    }

    [Fact]
    public async Task Another_users_photo_is_404()
    {
        var owner = await app.LoginAsync();
        var stranger = await app.LoginAsync();
        var id = (await (await owner.UploadAsync(Jpeg)).JsonAsync()).GetProperty("id").GetGuid();
        await (await stranger.GetAsync($"/api/v1/photos/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await owner.GetAsync("/api/v1/photos/not-a-guid")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_photo_with_no_usable_result_is_failed_with_its_report()
    {
        var client = await app.LoginAsync();
        var id = (await (await client.UploadAsync(Jpeg)).JsonAsync()).GetProperty("id").GetGuid();
        app.Pipeline.Next = ScriptedPhotoPipeline.NoFace;
        try
        {
            await app.RunJobsAsync();
        }
        finally
        {
            app.Pipeline.Next = ScriptedPhotoPipeline.Usable;
        }
        var photo = await (await client.GetAsync($"/api/v1/photos/{id}")).JsonAsync();
        Assert.Equal("failed", photo.GetProperty("status").GetString());
        var check = photo.GetProperty("report").GetProperty("checks")[0];
        Assert.Equal("single_face", check.GetProperty("id").GetString());
        Assert.Equal("fail", check.GetProperty("status").GetString());
    }
}

/// <summary>Sends the content without a Content-Length (chunked), as a streaming client would.</summary>
internal sealed class NonBufferedContent(HttpContent inner) : HttpContent
{
    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        foreach (var h in inner.Headers) Headers.TryAddWithoutValidation(h.Key, h.Value);
        await inner.CopyToAsync(stream, context);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
