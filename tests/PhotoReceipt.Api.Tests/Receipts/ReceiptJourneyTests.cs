using System.Net;
using System.Text.Json;
using PhotoReceipt.Api.Tests.Review;
using PhotoReceipt.Api.Tests.Support;
using PhotoReceipt.Core.Orders;
using PhotoReceipt.Receipts;
using PhotoReceipt.Testing;
using PhotoReceipt.Core.Jobs;
using PhotoReceipt.Worker.Receipts;

namespace PhotoReceipt.Api.Tests.Receipts;

/// <summary>
/// Upload → order → pay → review → receipt download, over HTTP with the real photo pipeline, then
/// the receipt's expiry, its reminder and the deletion of everything personal after retention.
/// </summary>
public sealed class ReceiptJourneyTests(RealPipelineFactory app) : IClassFixture<RealPipelineFactory>
{
    private const string Product = "residence-permit-guangzhou"; // gz-merged: barcode and QR code

    /// <summary>A paid Guangzhou residence-permit order for test3.jpg, submitted to the review desk.</summary>
    private async Task<(HttpClient User, Guid OrderId, Guid PhotoId)> SubmittedPaidOrderAsync()
    {
        var user = await app.LoginAsync();
        var upload = await user.UploadAsync(await File.ReadAllBytesAsync(RepoPaths.Portrait("test3.jpg")), Product);
        Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
        var photoId = (await upload.JsonAsync()).GetProperty("id").GetGuid();
        await app.RunJobsAsync();
        var photo = await (await user.GetAsync($"/api/v1/photos/{photoId}")).JsonAsync();
        Assert.Equal("processed", photo.GetProperty("status").GetString());
        Assert.True(photo.GetProperty("report").GetProperty("usable").GetBoolean(), photo.ToString());

        var created = await user.PostOrderAsync(ApiClient.OrderBody(photoId, Product, name: "欧阳娜娜"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var orderId = (await created.JsonAsync()).GetProperty("id").GetGuid();
        var paid = await user.PostAsync($"/api/v1/orders/{orderId}/sandbox-pay", null);
        Assert.Equal("queued", (await paid.JsonAsync()).GetProperty("status").GetString());
        await app.RunJobsAsync();
        Assert.Equal("submitted", await app.StatusAsync(orderId));
        return (user, orderId, photoId);
    }

    [Fact]
    public async Task A_paid_order_goes_from_upload_to_a_downloaded_receipt()
    {
        var (user, orderId, _) = await SubmittedPaidOrderAsync();
        await (await user.GetAsync($"/api/v1/orders/{orderId}/receipt")).AssertProblemAsync(HttpStatusCode.Conflict);

        await app.ApproveAsync(orderId);
        // The issue job was born with the approval, in the same transaction; the receipt needs it to run.
        Assert.Equal(1, await app.QueryScalarAsync<int>(
            "SELECT count(*) FROM jobs WHERE kind = 'receipt.issue' AND payload->>'orderId' = @id AND status = 'queued'", new { id = orderId.ToString() }));
        var notYet = await (await user.GetAsync($"/api/v1/orders/{orderId}/receipt")).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("回执尚未生成", notYet.GetProperty("title").GetString());
        await app.RunJobsAsync();

        var response = await user.GetAsync($"/api/v1/orders/{orderId}/receipt");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var receipt = await response.JsonAsync();
        var imageNumber = receipt.GetProperty("imageNumber").GetString()!;
        Assert.True(ImageNumberGenerator.IsWellFormed(imageNumber));
        var issueDate = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        Assert.Equal(issueDate.AddDays(180), DateOnly.Parse(receipt.GetProperty("validUntil").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.False(receipt.GetProperty("expired").GetBoolean());
        var files = receipt.GetProperty("files").EnumerateArray().ToDictionary(f => f.GetProperty("kind").GetString()!);
        Assert.Equal(["photo_jpeg", "print_sheet_jpeg", "receipt_pdf", "receipt_png"], files.Keys.Order(StringComparer.Ordinal));
        Assert.Equal($"照片回执-{imageNumber}.png", files["receipt_png"].GetProperty("fileName").GetString());
        Assert.Equal($"照片回执-{imageNumber}.pdf", files["receipt_pdf"].GetProperty("fileName").GetString());
        Assert.Equal($"电子证件照-{imageNumber}.jpg", files["photo_jpeg"].GetProperty("fileName").GetString());

        // The print sheet beside the e-photo: 6-inch at 300 dpi, cut marks 26 × 32 mm apart (the ID card's print size), 15 copies.
        var sheetFile = await app.DownloadAsync(files["print_sheet_jpeg"].GetProperty("url").GetString()!);
        Assert.Equal("image/jpeg", sheetFile.Content.Headers.ContentType?.MediaType);
        var sheet = PhotoReceipt.Testing.PrintSheetMeasurement.Of(await sheetFile.Content.ReadAsByteArrayAsync());
        Assert.Equal((300, 1795, 1205), (sheet.Dpi, sheet.Width, sheet.Height));
        Assert.All(sheet.SpansXMm.Where(s => s > 5), s => Assert.InRange(s, 25.8, 26.2));
        Assert.All(sheet.SpansYMm.Where(s => s > 5), s => Assert.InRange(s, 31.8, 32.2));
        Assert.Equal(15, sheet.SpansXMm.Count(s => s > 5) * sheet.SpansYMm.Count(s => s > 5));

        // The phone image: the card at 300 dpi, the standardized photo at 26×32 mm in its box, both codes readable.
        var pngResponse = await app.DownloadAsync(files["receipt_png"].GetProperty("url").GetString()!);
        Assert.Equal(HttpStatusCode.OK, pngResponse.StatusCode);
        Assert.Equal("image/png", pngResponse.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"照片回执-{imageNumber}.png", pngResponse.Content.Headers.ContentDisposition?.FileNameStar);
        var png = await pngResponse.Content.ReadAsByteArrayAsync();
        // Kept for a person to look at (the temp folder, as the imaging tests do).
        Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "photoreceipt-api-tests"));
        await File.WriteAllBytesAsync(Path.Combine(Path.GetTempPath(), "photoreceipt-api-tests", "journey-receipt.png"), png);
        var photoJpeg = await (await app.DownloadAsync(files["photo_jpeg"].GetProperty("url").GetString()!)).Content.ReadAsByteArrayAsync();
        AssertPhoneImage(png, photoJpeg);

        // The printable PDF: A4, the image number as text, the masked name only.
        var pdfResponse = await app.DownloadAsync(files["receipt_pdf"].GetProperty("url").GetString()!);
        Assert.Equal("application/pdf", pdfResponse.Content.Headers.ContentType?.MediaType);
        var dir = Directory.CreateTempSubdirectory("receipt-journey-");
        try
        {
            var pdfPath = Path.Combine(dir.FullName, "r.pdf");
            await File.WriteAllBytesAsync(pdfPath, await pdfResponse.Content.ReadAsByteArrayAsync());
            Assert.Matches(@"Page size:\s+595\.2\d* x 841\.8\d* pts \(A4\)", ReceiptSteps.Tool("pdfinfo", "poppler-utils", pdfPath));
            var text = ReceiptSteps.Tool("pdftotext", "poppler-utils", "-layout", pdfPath, "-");
            Assert.Contains("图像号：" + imageNumber, text, StringComparison.Ordinal);
            Assert.Contains("广州市数字相片回执", text, StringComparison.Ordinal);
            Assert.Contains("证件类型：居住证", text, StringComparison.Ordinal);
            Assert.Contains("天河区体育西路数码照相馆（GZ440106001）", text, StringComparison.Ordinal);
            Assert.Contains("欧***", text, StringComparison.Ordinal);
            Assert.DoesNotContain("欧阳娜娜", text, StringComparison.Ordinal);
            var pngPath = Path.Combine(dir.FullName, "r.png");
            await File.WriteAllBytesAsync(pngPath, png);
            var decoded = ReceiptSteps.Tool("zbarimg", "zbar-tools", "--raw", "-q", pngPath).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal([imageNumber, imageNumber], decoded); // Code 128 and the QR code both carry the number
        }
        finally
        {
            dir.Delete(recursive: true);
        }

        // The order page shows the receipt; the timeline says it was issued; the paid delivery was reported once.
        var order = await user.OrderAsync(orderId);
        Assert.Equal(imageNumber, order.GetProperty("receipt").GetProperty("imageNumber").GetString());
        Assert.Equal("gz-merged", order.GetProperty("receipt").GetProperty("style").GetString());
        Assert.Contains(order.GetProperty("timeline").EnumerateArray(), t => t.GetProperty("note").GetString() == "照片回执已生成，可在订单页下载");
        Assert.Equal(1, await app.QueryScalarAsync<int>(
            "SELECT count(*) FROM jobs WHERE kind = 'order.report_delivery' AND payload->>'orderId' = @id AND status = 'succeeded'", new { id = orderId.ToString() }));
        Assert.True(await app.QueryScalarAsync<bool>("SELECT delivery_reported_at IS NOT NULL FROM orders WHERE id = @orderId", new { orderId }));

        // Someone else's order is not found, never "forbidden" (ids cannot be probed).
        var stranger = await app.LoginAsync();
        await (await stranger.GetAsync($"/api/v1/orders/{orderId}/receipt")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    internal static void AssertPhoneImage(byte[] png, byte[] photoJpeg)
    {
        var image = ReceiptSteps.Decode(png);
        var layout = ReceiptLayouts.LoadEmbedded(PhotoReceipt.Core.Catalog.ProductCatalog.LoadEmbedded()).For("gz-merged");
        var pxPerMm = 300 / 25.4;
        Assert.Equal((int)Math.Round(layout.Card.Width * pxPerMm), image.Width);
        Assert.Equal((int)Math.Round(layout.Card.Height * pxPerMm), image.Height);
        var photoMm = layout.PhotoBox.Centre(26, 32);
        var box = new MmBox(photoMm.X - layout.Card.X, photoMm.Y - layout.Card.Y, 26, 32).ToPixels(pxPerMm);
        var expected = ReceiptSteps.MeanRgb(ReceiptSteps.Scaled(photoJpeg, box.Width, box.Height), 0, 0, box.Width, box.Height);
        var actual = ReceiptSteps.MeanRgb(image, box.X, box.Y, box.Width, box.Height);
        for (var c = 0; c < 3; c++) Assert.InRange(actual[c], expected[c] - 2, expected[c] + 2);
    }

    [Fact]
    public async Task A_retried_issue_job_renders_again_but_the_order_keeps_one_receipt()
    {
        var (user, orderId, _) = await SubmittedPaidOrderAsync();
        await app.ApproveAsync(orderId);
        await app.RunJobsAsync();
        var first = await app.QueryScalarAsync<DateTime>("SELECT issued_at FROM receipts WHERE order_id = @orderId", new { orderId });

        // The worker died after storing the blobs: the row is gone as if never committed, the job runs again.
        await app.QueryScalarAsync<int>("DELETE FROM receipts WHERE order_id = @orderId RETURNING 1", new { orderId });
        var png = Path.Combine(app.BlobRoot, "receipts", orderId.ToString("N"), "receipt.png");
        File.Delete(png);
        await app.RunHandlerAsync(JobKinds.IssueReceipt.Name, new { orderId });
        await app.RunHandlerAsync(JobKinds.IssueReceipt.Name, new { orderId });
        Assert.True(File.Exists(png));
        // Two workers at once (a lease that ran out mid-render): both render, one row.
        await app.QueryScalarAsync<int>("DELETE FROM receipts WHERE order_id = @orderId RETURNING 1", new { orderId });
        await Task.WhenAll(Task.Run(() => app.RunHandlerAsync(JobKinds.IssueReceipt.Name, new { orderId })),
            Task.Run(() => app.RunHandlerAsync(JobKinds.IssueReceipt.Name, new { orderId })));
        Assert.Equal(1, await app.QueryScalarAsync<int>("SELECT count(*) FROM receipts WHERE order_id = @orderId", new { orderId }));
        Assert.True(await app.QueryScalarAsync<DateTime>("SELECT issued_at FROM receipts WHERE order_id = @orderId", new { orderId }) > first);
        // One delivery job however often the receipt is recorded (its dedupe key names the order).
        Assert.Equal(1, await app.QueryScalarAsync<int>(
            "SELECT count(*) FROM jobs WHERE kind = 'order.report_delivery' AND payload->>'orderId' = @id", new { id = orderId.ToString() }));
        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync($"/api/v1/orders/{orderId}/receipt")).StatusCode);
    }

    [Fact]
    public async Task A_receipt_is_reminded_once_expires_and_after_retention_keeps_nothing_personal()
    {
        var (user, orderId, photoId) = await SubmittedPaidOrderAsync();
        await app.ApproveAsync(orderId);
        await app.RunJobsAsync();
        var receipt = await (await user.GetAsync($"/api/v1/orders/{orderId}/receipt")).JsonAsync();
        var pngUrl = receipt.GetProperty("files").EnumerateArray().First(f => f.GetProperty("kind").GetString() == "receipt_png").GetProperty("url").GetString()!;
        var blobKeys = await app.QueryAsync<string>("""
            SELECT unnest(ARRAY[source_key, result_key, preview_key]) FROM photos WHERE id = @photoId
            UNION ALL SELECT unnest(ARRAY[png_key, pdf_key]) FROM receipts WHERE order_id = @orderId
            """, new { photoId, orderId });
        Assert.Equal(5, blobKeys.Count(k => k is not null && File.Exists(Path.Combine(app.BlobRoot, k))));

        // Three days before the last valid day: one reminder, however often the job runs.
        await MoveValidUntilAsync(orderId, daysFromToday: 3);
        await app.RunHandlerAsync(JobKinds.ReceiptValidity.Name, new { slot = 1 });
        await app.RunHandlerAsync(JobKinds.ReceiptValidity.Name, new { slot = 2 });
        var reminders = await app.QueryAsync<string>("SELECT payload::text FROM outbox WHERE order_id = @orderId AND kind = 'notice.expiring'", new { orderId });
        var reminder = JsonDocument.Parse(Assert.Single(reminders)).RootElement;
        Assert.Equal(3, reminder.GetProperty("daysLeft").GetInt32());
        Assert.Equal(receipt.GetProperty("imageNumber").GetString(), reminder.GetProperty("imageNumber").GetString());
        Assert.Equal("approved", await app.StatusAsync(orderId));

        // The last valid day has passed: expired, once, with a timeline event; still downloadable.
        await MoveValidUntilAsync(orderId, daysFromToday: -1);
        await app.RunHandlerAsync(JobKinds.ReceiptValidity.Name, new { slot = 3 });
        await app.RunHandlerAsync(JobKinds.ReceiptValidity.Name, new { slot = 4 });
        var order = await user.OrderAsync(orderId);
        Assert.Equal("expired", order.GetProperty("status").GetString());
        Assert.Single(order.GetProperty("timeline").EnumerateArray(), t => t.GetProperty("status").GetString() == "expired"
            && t.GetProperty("from").GetString() == "approved" && t.GetProperty("note").GetString() == "回执已过有效期");
        Assert.True((await (await user.GetAsync($"/api/v1/orders/{orderId}/receipt")).JsonAsync()).GetProperty("expired").GetBoolean());
        Assert.Single(await app.QueryAsync<string>("SELECT kind FROM outbox WHERE order_id = @orderId AND kind = 'notice.expiring'", new { orderId }));

        // 29 days after: nothing deleted yet (retention is 30 days by default).
        await MoveValidUntilAsync(orderId, daysFromToday: -30);
        await app.RunHandlerAsync(JobKinds.ReceiptValidity.Name, new { slot = 5 });
        Assert.True(File.Exists(Path.Combine(app.BlobRoot, blobKeys[0])));

        await MoveValidUntilAsync(orderId, daysFromToday: -31);
        await app.RunHandlerAsync(JobKinds.ReceiptValidity.Name, new { slot = 6 });
        await app.RunHandlerAsync(JobKinds.ReceiptValidity.Name, new { slot = 7 });
        Assert.All(blobKeys, k => Assert.False(File.Exists(Path.Combine(app.BlobRoot, k)), k));
        var row = (await app.QueryAsync<(string? NameEnc, string? IdEnc, string? PhoneEnc, string? IdHash, string? PhoneHash, string Name, string Id, string Phone, int RequestHashBytes, bool Purged)>("""
            SELECT encode(applicant_name_enc, 'hex'), encode(applicant_id_enc, 'hex'), encode(applicant_phone_enc, 'hex'),
                   encode(applicant_id_hash, 'hex'), encode(applicant_phone_hash, 'hex'),
                   applicant_name_masked, applicant_id_masked, applicant_phone_masked, length(request_hash), pii_purged_at IS NOT NULL
            FROM orders WHERE id = @orderId
            """, new { orderId })).Single();
        Assert.Equal((null, null, null, null, null, "已删除", "已删除", "已删除", 0, true), row);
        Assert.Equal((null, null, null, true), (await app.QueryAsync<(string?, string?, string?, bool)>(
            "SELECT source_key, result_key, preview_key, purged_at IS NOT NULL FROM photos WHERE id = @photoId", new { photoId })).Single());

        await (await user.GetAsync($"/api/v1/orders/{orderId}/receipt")).AssertProblemAsync(HttpStatusCode.Gone);
        await (await app.DownloadAsync(pngUrl)).AssertProblemAsync(HttpStatusCode.NotFound);
        order = await user.OrderAsync(orderId);
        Assert.Equal("已删除", order.GetProperty("applicant").GetProperty("name").GetString());
        Assert.True(order.GetProperty("receipt").GetProperty("deleted").GetBoolean());
        Assert.Single(order.GetProperty("timeline").EnumerateArray(), t => t.GetProperty("note").GetString() == "已超过保存期限：照片、回执和个人信息已删除");
    }

    [Fact]
    public async Task A_photo_only_order_delivers_the_e_photo_without_a_receipt_or_a_delivery_report()
    {
        var user = await app.LoginAsync();
        var upload = await user.UploadAsync(await File.ReadAllBytesAsync(RepoPaths.Portrait("test3.jpg")), "photo-1in");
        var photoId = (await upload.JsonAsync()).GetProperty("id").GetGuid();
        await app.RunJobsAsync();
        var created = await (await user.PostOrderAsync(ApiClient.OrderBody(photoId, "photo-1in"))).JsonAsync();
        Assert.Equal("queued", created.GetProperty("status").GetString());
        var orderId = created.GetProperty("id").GetGuid();
        await app.RunJobsAsync();
        await app.ApproveAsync(orderId);
        await app.RunJobsAsync();

        var receipt = await (await user.GetAsync($"/api/v1/orders/{orderId}/receipt")).JsonAsync();
        // The e-photo and its 6-inch print sheet; no receipt files.
        var all = receipt.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(["photo_jpeg", "print_sheet_jpeg"], all.Select(f => f.GetProperty("kind").GetString()!).Order(StringComparer.Ordinal));
        var file = all.Single(f => f.GetProperty("kind").GetString() == "photo_jpeg");
        var jpeg = await app.DownloadAsync(file.GetProperty("url").GetString()!);
        Assert.Equal("image/jpeg", jpeg.Content.Headers.ContentType?.MediaType);
        var image = ReceiptSteps.Decode(await jpeg.Content.ReadAsByteArrayAsync());
        Assert.Equal((295, 413), (image.Width, image.Height)); // generic 1-inch: 25×35 mm at 300 dpi
        Assert.Equal(0, await app.QueryScalarAsync<int>(
            "SELECT count(*) FROM jobs WHERE kind = 'order.report_delivery' AND payload->>'orderId' = @id", new { id = orderId.ToString() }));
        Assert.False(Directory.Exists(Path.Combine(app.BlobRoot, "receipts", orderId.ToString("N"))));
    }

    private Task MoveValidUntilAsync(Guid orderId, int daysFromToday) =>
        app.QueryScalarAsync<int>("""
            UPDATE receipts SET valid_until = (now() AT TIME ZONE 'Asia/Shanghai')::date + @daysFromToday
            WHERE order_id = @orderId RETURNING 1
            """, new { orderId, daysFromToday });
}
