using PhotoReceipt.Data.WeChat;
using PhotoReceipt.Core.WeChat;
using PhotoReceipt.Data.Blobs;
using PhotoReceipt.Data.Jobs;
using PhotoReceipt.Data.Photos;
using PhotoReceipt.Worker.Jobs;
using PhotoReceipt.Core.Jobs;

namespace PhotoReceipt.Worker.Photos;

/// <summary>
/// WeChat's asynchronous image check (media_check_async) of the standardized photo: the platform
/// requires uploaded images to be checked. The verdict arrives later as a wxa_media_check push.
/// WeChat downloads the image itself, so it gets a signed URL that outlives its 30-minute window.
/// </summary>
public sealed class ContentCheckJob(PhotoStore photos, MediaCheckStore checks, IWeChatApi wechat, FileUrls urls) : IJobHandler
{
    public string Kind => JobKinds.ContentCheck.Name;

    public async Task RunAsync(JobRecord job, CancellationToken cancellationToken)
    {
        var photoId = job.PayloadAs(JobKinds.ContentCheck).PhotoId;
        var photo = await photos.FindAsync(photoId, cancellationToken);
        if (photo?.ResultKey is null || await checks.FindByPhotoAsync(photoId, cancellationToken) is not null) return;
        var openId = await photos.OwnerOpenIdAsync(photoId, cancellationToken);
        var url = urls.Create(photo.ResultKey, "photo.jpg", TimeSpan.FromHours(1));
        var result = await wechat.StartImageCheckAsync(new MediaCheckRequest(photoId, url, openId!), cancellationToken);
        if (!result.Ok)
            throw new InvalidOperationException($"media_check_async refused: {result.ErrCode} {result.ErrMsg} (rid {result.Rid})");
    }
}
