using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using PhotoReceipt.Data.Blobs;

namespace PhotoReceipt.Api.Tests.Blobs;

/// <summary>
/// The S3 blob store against s3rver over HTTP: the data path (bytes in = bytes out, compared by
/// sha256, which is what catches the SDK's chunk framing stored inside objects), listing, deletes,
/// multipart, presigned downloads and their expiry. s3rver does not verify signatures, so nothing
/// here shows that a signature is right: see the README.
/// </summary>
public sealed class S3BlobStoreContractTests(S3rver s3rver) : IClassFixture<S3rver>, IDisposable
{
    private readonly S3BlobStore _store = new(s3rver.Options(), NullLogger<S3BlobStore>.Instance);
    private readonly string _prefix = $"contract-{Guid.NewGuid():N}/";
    private static readonly HttpClient Anonymous = new();

    [Fact]
    public async Task Put_then_open_returns_the_same_bytes_from_a_stream_of_unknown_length()
    {
        var bytes = RandomNumberGenerator.GetBytes(2 * 1024 * 1024);
        await _store.PutAsync(_prefix + "photo.jpg", new OneWayStream(bytes), default);
        Assert.Equal(SHA256.HashData(bytes), await HashOfAsync(_prefix + "photo.jpg"));
    }

    [Fact]
    public async Task An_object_larger_than_a_part_goes_up_in_parts_and_comes_back_whole()
    {
        var bytes = RandomNumberGenerator.GetBytes(2 * S3BlobStore.PartBytes + 12345);
        await _store.PutAsync(_prefix + "large.pdf", new OneWayStream(bytes), default);
        Assert.Equal(SHA256.HashData(bytes), await HashOfAsync(_prefix + "large.pdf"));
    }

    [Fact]
    public async Task A_put_overwrites_what_the_key_held()
    {
        await _store.PutAsync(_prefix + "receipt.png", new MemoryStream("first"u8.ToArray()), default);
        await _store.PutAsync(_prefix + "receipt.png", new MemoryStream("second, longer"u8.ToArray()), default);
        Assert.Equal("second, longer", await TextOfAsync(_prefix + "receipt.png"));
    }

    [Fact]
    public async Task An_empty_blob_is_stored_and_read_back_empty()
    {
        await _store.PutAsync(_prefix + "empty", new MemoryStream(), default);
        Assert.Equal("", await TextOfAsync(_prefix + "empty"));
    }

    [Fact]
    public async Task A_missing_key_opens_as_null_and_deletes_without_error()
    {
        Assert.Null(await _store.OpenReadAsync(_prefix + "nothing-here.jpg", default));
        await _store.DeleteAsync(_prefix + "nothing-here.jpg", default);
    }

    [Fact]
    public async Task Delete_removes_the_object()
    {
        await _store.PutAsync(_prefix + "gone.jpg", new MemoryStream([1, 2, 3]), default);
        await _store.DeleteAsync(_prefix + "gone.jpg", default);
        Assert.Null(await _store.OpenReadAsync(_prefix + "gone.jpg", default));
    }

    [Fact]
    public async Task List_returns_every_key_under_the_prefix_across_pages_and_nothing_else()
    {
        var paged = new S3BlobStore(s3rver.Options(), NullLogger<S3BlobStore>.Instance) { ListPageSize = 2 };
        string[] keys = [_prefix + "a/1.jpg", _prefix + "a/2.png", _prefix + "a/deeper/3.pdf", _prefix + "a/4", _prefix + "a/5"];
        foreach (var key in keys) await paged.PutAsync(key, new MemoryStream([7]), default);
        await paged.PutAsync(_prefix + "b/other.jpg", new MemoryStream([7]), default);

        var listed = new List<PhotoReceipt.Core.Blobs.BlobInfo>();
        await foreach (var blob in paged.ListAsync(_prefix + "a/", default)) listed.Add(blob);

        Assert.Equal(keys.Order(StringComparer.Ordinal), listed.Select(b => b.Key).Order(StringComparer.Ordinal));
        Assert.All(listed, b => Assert.InRange(b.LastModified, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5)));
    }

    [Fact]
    public async Task A_stream_that_fails_mid_upload_leaves_nothing_under_the_key()
    {
        var small = RandomNumberGenerator.GetBytes(100_000);
        await Assert.ThrowsAsync<IOException>(() => _store.PutAsync(_prefix + "cut.jpg", new OneWayStream(small, failAfter: 50_000), default));
        Assert.Null(await _store.OpenReadAsync(_prefix + "cut.jpg", default));

        var large = RandomNumberGenerator.GetBytes(S3BlobStore.PartBytes + 100_000);
        await Assert.ThrowsAsync<IOException>(() => _store.PutAsync(_prefix + "cut.pdf", new OneWayStream(large, failAfter: S3BlobStore.PartBytes + 50_000), default));
        Assert.Null(await _store.OpenReadAsync(_prefix + "cut.pdf", default));
    }

    [Fact]
    public async Task A_presigned_URL_downloads_the_object_without_credentials_under_its_name_and_type()
    {
        var bytes = RandomNumberGenerator.GetBytes(300_000);
        await _store.PutAsync(_prefix + "standard.jpg", new MemoryStream(bytes), default);

        var url = _store.DownloadUrl(_prefix + "standard.jpg", "电子证件照-A1.jpg", TimeSpan.FromMinutes(10))!;
        Assert.StartsWith($"{s3rver.ServiceUrl}/{S3rver.Bucket}/{_prefix}standard.jpg?", url, StringComparison.Ordinal);
        using var response = await Anonymous.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("电子证件照-A1.jpg", response.Content.Headers.ContentDisposition?.FileNameStar);
    }

    [Fact]
    public async Task A_presigned_URL_for_a_public_endpoint_names_that_host()
    {
        var store = new S3BlobStore(s3rver.Options(publicUrl: "https://files.example.com"), NullLogger<S3BlobStore>.Instance);
        var url = store.DownloadUrl(_prefix + "x.png", "x.png", TimeSpan.FromMinutes(1))!;
        Assert.StartsWith($"https://files.example.com/{S3rver.Bucket}/{_prefix}x.png?", url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_presigned_URL_stops_working_when_it_expires()
    {
        await _store.PutAsync(_prefix + "short.png", new MemoryStream([1, 2, 3]), default);
        var url = _store.DownloadUrl(_prefix + "short.png", "short.png", TimeSpan.FromSeconds(1))!;
        Assert.Equal(HttpStatusCode.OK, (await Anonymous.GetAsync(url)).StatusCode);

        await Task.Delay(TimeSpan.FromSeconds(2.5));
        using var expired = await Anonymous.GetAsync(url);
        Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
        Assert.Contains("expired", await expired.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Purging_incomplete_uploads_is_harmless_where_the_server_cannot_list_them()
    {
        // s3rver answers 501 to ListMultipartUploads; the store leaves those to the bucket's lifecycle rule.
        Assert.Equal(0, await _store.PurgeIncompleteAsync(DateTimeOffset.UtcNow, default));
    }

    [Theory]
    [InlineData("/leading-slash")]
    [InlineData("a/../b")]
    [InlineData("a//b")]
    [InlineData("a\\b")]
    public async Task Keys_that_could_alias_another_object_are_refused(string key)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _store.PutAsync(key, new MemoryStream([1]), default));
        Assert.Throws<ArgumentException>(() => _store.DownloadUrl(key, "x", TimeSpan.FromMinutes(1)));
    }

    private async Task<byte[]> HashOfAsync(string key)
    {
        await using var stream = await _store.OpenReadAsync(key, default) ?? throw new InvalidOperationException($"{key} is missing");
        return await SHA256.HashDataAsync(stream);
    }

    private async Task<string> TextOfAsync(string key)
    {
        await using var stream = await _store.OpenReadAsync(key, default) ?? throw new InvalidOperationException($"{key} is missing");
        return await new StreamReader(stream).ReadToEndAsync();
    }

    public void Dispose() => _store.Dispose();

    /// <summary>What a request body looks like to the store: no length, no seeking, small reads; optionally cut off.</summary>
    private sealed class OneWayStream(byte[] bytes, int failAfter = int.MaxValue) : Stream
    {
        private int _position;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_position >= failAfter) throw new IOException("the client hung up");
            var n = Math.Min(Math.Min(buffer.Length, 16 * 1024), Math.Min(bytes.Length, failAfter) - _position);
            bytes.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
