using System.Net;
using PhotoReceipt.Api.Tests.Support;
using PhotoReceipt.Testing;

namespace PhotoReceipt.Api.Tests.Blobs;

/// <summary>The app with Blobs:Store=S3 against s3rver: uploads land in the bucket, and users download from it.</summary>
public sealed class S3ApiFactory : ApiFactory
{
    public S3rver S3 { get; } = new();

    protected override IEnumerable<KeyValuePair<string, string?>> Settings => S3.AppSettings();

    public override async Task InitializeAsync()
    {
        await S3.InitializeAsync();
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await S3.DisposeAsync();
    }
}

public sealed class S3DownloadTests(S3ApiFactory app) : IClassFixture<S3ApiFactory>
{
    [Fact]
    public async Task A_processed_photo_is_downloaded_from_the_bucket_through_a_presigned_URL_not_through_the_API()
    {
        var client = await app.LoginAsync();
        var id = await client.ProcessedPhotoAsync(app);

        var photo = await (await client.GetAsync($"/api/v1/photos/{id}")).JsonAsync();
        var url = photo.GetProperty("previewUrl").GetString()!;
        Assert.StartsWith($"{app.S3.ServiceUrl}/{S3rver.Bucket}/photos/", url, StringComparison.Ordinal);
        Assert.Contains("X-Amz-Signature=", url, StringComparison.Ordinal);

        // The scripted pipeline hands back the upload itself as the standard photo.
        using var bucket = new HttpClient();
        Assert.Equal(await File.ReadAllBytesAsync(RepoPaths.Portrait("test0.jpg")), await bucket.GetByteArrayAsync(url));
        Assert.Empty(Directory.EnumerateFileSystemEntries(app.BlobRoot)); // nothing went to the local folder
    }

    [Fact]
    public async Task A_refused_upload_leaves_nothing_in_the_bucket()
    {
        var client = await app.LoginAsync();
        var before = await app.S3ListAsync("uploads/");
        var response = await client.UploadAsync("not a photo at all"u8.ToArray());
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(before, await app.S3ListAsync("uploads/"));
    }
}

internal static class S3ApiFactoryExtensions
{
    public static async Task<List<string>> S3ListAsync(this S3ApiFactory app, string prefix)
    {
        var keys = new List<string>();
        var blobs = (PhotoReceipt.Core.Blobs.IBlobStore)app.Services.GetService(typeof(PhotoReceipt.Core.Blobs.IBlobStore))!;
        await foreach (var blob in blobs.ListAsync(prefix, default)) keys.Add(blob.Key);
        return keys;
    }
}
