using System.Buffers;
using System.Net;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using PhotoReceipt.Core.Blobs;

namespace PhotoReceipt.Data.Blobs;

/// <summary>An S3-compatible bucket (Tencent COS, MinIO, AWS S3): what several hosts share instead of a folder.</summary>
public sealed class S3BlobOptions
{
    public string Bucket { get; set; } = "";

    /// <summary>The endpoint this process talks to, e.g. https://cos.ap-guangzhou.myqcloud.com or http://minio:9000; empty means AWS by <see cref="Region"/>.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>
    /// The endpoint users' phones reach the bucket at, which presigned URLs are made for (the host is
    /// part of the signature): e.g. MinIO behind a public origin while the app talks to http://minio:9000.
    /// Empty means <see cref="ServiceUrl"/>.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>The signing region (ap-guangzhou for COS in Guangzhou; MinIO accepts us-east-1).</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>Secret: from the environment. Empty uses the SDK's own chain (AWS_* variables, an instance role).</summary>
    public string? AccessKey { get; set; }

    public string? SecretKey { get; set; }

    /// <summary>
    /// bucket in the path (http://host/bucket/key) rather than the host name: what MinIO and most
    /// self-hosted servers need. Tencent COS and AWS take either; set false for virtual-hosted style.
    /// </summary>
    public bool ForcePathStyle { get; set; } = true;
}

/// <summary>
/// Blobs as objects in an S3-compatible bucket through AWSSDK.S3. A put is one PutObject (or a
/// multipart upload past <see cref="PartBytes"/>), so readers see a whole object or none, as with
/// the local store's rename. Downloads go to users as presigned GETs straight from the bucket.
/// </summary>
public sealed class S3BlobStore : IBlobStore, IDisposable
{
    /// <summary>Objects up to this size are one PutObject; larger ones go up in parts of this size (S3's minimum part is 5 MiB).</summary>
    internal const int PartBytes = 8 * 1024 * 1024;

    /// <summary>Keys per ListObjectsV2 page (S3's own maximum); tests make it small to cross pages.</summary>
    internal int ListPageSize { get; init; } = 1000;

    private readonly AmazonS3Client _s3;
    private readonly AmazonS3Client _presigner;
    private readonly string _bucket;
    private readonly Protocol _publicProtocol;
    private readonly ILogger _logger;

    public S3BlobStore(S3BlobOptions options, ILogger<S3BlobStore> logger)
    {
        if (string.IsNullOrWhiteSpace(options.Bucket)) throw new InvalidOperationException("Blobs:S3:Bucket is not set (environment Blobs__S3__Bucket).");
        _bucket = options.Bucket;
        _logger = logger;
        _s3 = Client(options, options.ServiceUrl);
        var publicUrl = string.IsNullOrWhiteSpace(options.PublicUrl) ? options.ServiceUrl : options.PublicUrl;
        // Presigning is a local computation: a second client only so that URLs name the public host.
        _presigner = publicUrl == options.ServiceUrl ? _s3 : Client(options, publicUrl);
        // The SDK presigns https unless told otherwise, even for an http endpoint.
        _publicProtocol = publicUrl is not null && publicUrl.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? Protocol.HTTP : Protocol.HTTPS;
    }

    private static AmazonS3Client Client(S3BlobOptions options, string? serviceUrl)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            // AWSSDK v4 adds a CRC checksum to every upload by default, sent as aws-chunked trailers.
            // Servers other than AWS (s3rver, older MinIO and COS gateways) answer 200 and store the
            // chunk framing as part of the object. Checksums only where an operation requires one.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (string.IsNullOrWhiteSpace(serviceUrl))
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        else
        {
            config.ServiceURL = serviceUrl;
            config.AuthenticationRegion = options.Region;
        }
        return string.IsNullOrEmpty(options.AccessKey)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey ?? ""), config);
    }

    public async Task PutAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        BlobKeys.EnsureValid(key);
        // The stream is usually a request body of unknown length; one part is read ahead to learn
        // whether a single PutObject will do (every photo and receipt) or the object needs parts.
        var buffer = ArrayPool<byte>.Shared.Rent(PartBytes);
        try
        {
            var n = await content.ReadAtLeastAsync(buffer.AsMemory(0, PartBytes), PartBytes, throwOnEndOfStream: false, cancellationToken);
            if (n < PartBytes)
            {
                await _s3.PutObjectAsync(new PutObjectRequest
                {
                    BucketName = _bucket,
                    Key = key,
                    ContentType = BlobKeys.ContentTypeOf(key),
                    InputStream = new MemoryStream(buffer, 0, n, writable: false),
                    // aws-chunked framing ends up inside the object on servers other than AWS.
                    UseChunkEncoding = false,
                }, cancellationToken);
                return;
            }
            await PutInPartsAsync(key, content, buffer, n, cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task PutInPartsAsync(string key, Stream content, byte[] buffer, int first, CancellationToken ct)
    {
        var upload = await _s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
        {
            BucketName = _bucket,
            Key = key,
            ContentType = BlobKeys.ContentTypeOf(key),
        }, ct);
        try
        {
            var parts = new List<PartETag>();
            for (var n = first; n > 0; n = await content.ReadAtLeastAsync(buffer.AsMemory(0, PartBytes), PartBytes, throwOnEndOfStream: false, ct))
            {
                var part = await _s3.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = _bucket,
                    Key = key,
                    UploadId = upload.UploadId,
                    PartNumber = parts.Count + 1,
                    InputStream = new MemoryStream(buffer, 0, n, writable: false),
                    PartSize = n,
                    UseChunkEncoding = false,
                }, ct);
                parts.Add(new PartETag(parts.Count + 1, part.ETag));
            }
            await _s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = _bucket,
                Key = key,
                UploadId = upload.UploadId,
                PartETags = parts,
            }, ct);
        }
        catch
        {
            // Nothing is visible under the key until Complete; the parts are dropped here, or by
            // PurgeIncompleteAsync (and the bucket's lifecycle rule) if this abort fails too.
            await AbortQuietlyAsync(key, upload.UploadId);
            throw;
        }
    }

    public async Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        BlobKeys.EnsureValid(key);
        try
        {
            var response = await _s3.GetObjectAsync(_bucket, key, cancellationToken);
            return response.ResponseStream;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        BlobKeys.EnsureValid(key);
        // S3 answers 204 for a key that is not there: deleting twice is fine, as with the folder.
        await _s3.DeleteObjectAsync(_bucket, key, cancellationToken);
    }

    public async IAsyncEnumerable<BlobInfo> ListAsync(string prefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = prefix, MaxKeys = ListPageSize };
        do
        {
            var page = await _s3.ListObjectsV2Async(request, cancellationToken);
            foreach (var o in page.S3Objects ?? [])
                yield return new BlobInfo(o.Key, new DateTimeOffset(DateTime.SpecifyKind(o.LastModified ?? DateTime.UnixEpoch, DateTimeKind.Utc)));
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (!string.IsNullOrEmpty(request.ContinuationToken));
    }

    public string? DownloadUrl(string key, string downloadName, TimeSpan lifetime)
    {
        BlobKeys.EnsureValid(key);
        var request = new GetPreSignedUrlRequest
        {
            BucketName = _bucket,
            Key = key,
            Verb = HttpVerb.GET,
            Expires = DateTime.UtcNow.Add(lifetime),
            Protocol = _publicProtocol,
        };
        if (downloadName.Length > 0)
        {
            // The name a browser saves under, as /files sends it: ASCII fallback plus RFC 5987 UTF-8.
            var disposition = new ContentDispositionHeaderValue("attachment");
            disposition.SetHttpFileName(downloadName);
            request.ResponseHeaderOverrides.ContentDisposition = disposition.ToString();
        }
        return _presigner.GetPreSignedURL(request);
    }

    /// <summary>Aborts multipart uploads started before <paramref name="olderThan"/> (a process killed mid-upload).</summary>
    public async Task<int> PurgeIncompleteAsync(DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        var n = 0;
        var request = new ListMultipartUploadsRequest { BucketName = _bucket };
        try
        {
            do
            {
                var page = await _s3.ListMultipartUploadsAsync(request, cancellationToken);
                foreach (var upload in page.MultipartUploads ?? [])
                {
                    if (upload.Initiated is { } at && DateTime.SpecifyKind(at, DateTimeKind.Utc) >= olderThan.UtcDateTime) continue;
                    if (await AbortQuietlyAsync(upload.Key, upload.UploadId)) n++;
                }
                request.KeyMarker = page.NextKeyMarker;
                request.UploadIdMarker = page.NextUploadIdMarker;
                if (page.IsTruncated != true) break;
            }
            while (true);
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.NotImplemented or HttpStatusCode.MethodNotAllowed or HttpStatusCode.BadRequest)
        {
            // Some S3-compatible servers cannot list uploads; the bucket's lifecycle rule
            // (AbortIncompleteMultipartUpload) is the backstop there, as it is everywhere.
            _logger.LogInformation("This S3 server does not list multipart uploads ({Status}); leaving them to the bucket's lifecycle rule", e.StatusCode);
        }
        return n;
    }

    private async Task<bool> AbortQuietlyAsync(string key, string uploadId)
    {
        try
        {
            await _s3.AbortMultipartUploadAsync(_bucket, key, uploadId, CancellationToken.None);
            return true;
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException or HttpRequestException)
        {
            _logger.LogWarning("Could not abort multipart upload {UploadId} of {Key}: {Message}", uploadId, key, e.Message);
            return false;
        }
    }

    public void Dispose()
    {
        if (!ReferenceEquals(_presigner, _s3)) _presigner.Dispose();
        _s3.Dispose();
    }
}
