using PhotoReceipt.Data.WeChat;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using PhotoReceipt.Api.Platform;
using PhotoReceipt.Api.Receipts;
using PhotoReceipt.Core.Catalog;
using PhotoReceipt.Core.Identity;
using PhotoReceipt.Core.Orders;
using PhotoReceipt.Core.PhotoCenter;
using PhotoReceipt.Core.Photos;
using PhotoReceipt.Core.WeChat;
using PhotoReceipt.Data.Orders;
using PhotoReceipt.Data.Jobs;
using PhotoReceipt.Data.Photos;
using Microsoft.Extensions.Options;
using PhotoReceipt.WeChat.Sandbox;
using PhotoReceipt.WeChat;
using PhotoReceipt.WeChat.Api;
using PhotoReceipt.Data.Review;
using PhotoReceipt.Data.Receipts;

namespace PhotoReceipt.Api.Orders;

public static class OrdersApi
{
    public static RouteGroupBuilder MapOrders(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/orders").WithTags("Orders");
        group.MapPost("/", CreateAsync).WithName("CreateOrder").WithSummary("Submit a processed photo with the applicant's details (Idempotency-Key required)")
            .WithValidation<CreateOrderRequest>();
        group.MapGet("/", ListAsync).WithName("ListOrders").WithSummary("The caller's orders, newest first, cursor-paginated");
        group.MapGet("/{id:guid}", GetAsync).WithName("GetOrder").WithSummary("One order with its timeline");
        group.MapPost("/{id:guid}/cancel", CancelAsync).WithName("CancelOrder").WithSummary("Cancel before the photo goes to the photo center");
        group.MapPost("/{id:guid}/payment", PaymentAsync).WithName("OrderPayment").WithSummary("wx.requestPayment parameters for an unpaid order");
        group.MapPost("/{id:guid}/sandbox-pay", SandboxPayAsync).WithName("SandboxPay")
            .WithSummary("Sandbox mode only: the local payment simulator marks the order paid, as a WeChat Pay notice would");
        group.MapPost("/{id:guid}/retake", RetakeAsync).WithName("RetakeOrder").WithSummary("Resubmit a rejected order with a new photo, without paying again")
            .WithValidation<RetakeRequest>();
        return api;
    }

    internal static async Task<Results<Created<OrderDto>, ProblemHttpResult>> CreateAsync(
        CreateOrderRequest request, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, HttpContext http,
        ProductCatalog catalog, PhotoStore photos, OrderStore orders, OrderLifecycle lifecycle, PiiProtector pii, IWeChatPay pay, MediaCheckStore mediaChecks, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(idempotencyKey) || idempotencyKey.Length > 100)
            return TypedResults.Problem(statusCode: 400, title: "请求有误", detail: "缺少 Idempotency-Key 请求头（每次下单生成一个新的随机值）");
        var userId = http.User.Id();
        var product = catalog.FindProduct(request.ProductId!)!;
        var applicant = request.Applicant!;
        var name = applicant.Name!.Trim();
        var idNumber = ChineseIdNumber.Normalize(applicant.IdNumber!);
        var phone = MainlandMobile.Normalize(applicant.Phone!);
        var requestHash = SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Join('\n', product.Id, request.PhotoId, name, idNumber, phone, request.ConsentVersion)));

        // A retry of an order already made answers with that order, whatever has happened to the photo since.
        var order = await orders.FindByIdempotencyKeyAsync(userId, idempotencyKey, ct);
        var created = false;
        if (order is null)
        {
            var photo = await photos.FindForUserAsync(request.PhotoId!.Value, userId, ct);
            if (photo is null) return TypedResults.Problem(statusCode: 404, title: "找不到", detail: "找不到这张照片，请重新上传");
            if (photo.SpecId != product.SpecId)
                return TypedResults.Problem(statusCode: 422, title: "照片规格不符", detail: "这张照片是按其他证件规格处理的，请为所选证件重新上传照片");
            if (PhotoProblem(photo) is { } problem) return problem;
            if ((await mediaChecks.FindByPhotoAsync(photo.Id, ct))?.Suggest == "risky")
                return TypedResults.Problem(statusCode: 422, title: "照片未通过内容安全检测", detail: "这张照片未通过微信内容安全检测，请重新拍摄一张证件照");

            var initial = product.PriceFen == 0 ? OrderStatus.Queued : OrderStatus.AwaitingPayment;
            // A free order is queued at once: the lifecycle enqueues its submission in the same transaction.
            (order, created) = await lifecycle.CreateAsync(new NewOrder(
                Guid.CreateVersion7(), orders.NewOrderNo(), userId, product.Id, photo.Id, initial, product.PriceFen,
                pii.Encrypt(name), pii.Encrypt(idNumber), pii.Encrypt(phone),
                pii.LookupHash("id", idNumber), pii.LookupHash("phone", phone),
                PersonalDataMasks.Name(name), ChineseIdNumber.Mask(idNumber), PersonalDataMasks.Phone(phone), pii.CurrentKeyId,
                request.ConsentVersion!, idempotencyKey, requestHash), ct);
        }
        if (!created)
        {
            // Same key and same body: the same order. Same key, different body: a client bug, refused.
            if (!CryptographicOperations.FixedTimeEquals(order.RequestHash, requestHash))
                return TypedResults.Problem(statusCode: 422, title: "重复的请求标识", detail: "这个 Idempotency-Key 已用于另一笔内容不同的订单，请生成新的标识后重试");
            http.Response.Headers["Idempotent-Replayed"] = "true";
        }

        var dto = OrderDto.From(order, catalog);
        if (order.Status == OrderStatus.AwaitingPayment)
            dto = await WithPaymentAsync(dto, order, product, http.User.OpenId(), pay, ct);
        return TypedResults.Created($"/api/v1/orders/{order.Id}", dto);
    }

    /// <summary>Why a photo cannot be ordered yet, or null when it can.</summary>
    private static ProblemHttpResult? PhotoProblem(PhotoRow photo) => photo.Status switch
    {
        PhotoStatus.Processing => TypedResults.Problem(statusCode: 409, title: "照片处理中", detail: "照片还在处理中，请稍候再提交"),
        PhotoStatus.Failed => TypedResults.Problem(statusCode: 422, title: "照片不可用", detail: "这张照片无法处理，请按提示重新拍摄"),
        _ when photo.Usable != true => TypedResults.Problem(statusCode: 422, title: "照片未通过检测", detail: "照片未通过检测，请按检测结果的提示重新拍摄"),
        _ => null,
    };

    internal static async Task<Results<Ok<OrderPage>, ProblemHttpResult>> ListAsync(
        string? cursor, string? status, int? limit, HttpContext http, OrderStore orders, ProductCatalog catalog, CancellationToken ct)
    {
        if (status is not null && !OrderStatus.IsKnown(status))
            return TypedResults.Problem(statusCode: 400, title: "请求有误", detail: "订单状态筛选条件不正确");
        OrderCursor? after = null;
        if (cursor is not null)
        {
            if (!OrderCursor.TryDecode(cursor, out var decoded))
                return TypedResults.Problem(statusCode: 400, title: "请求有误", detail: "分页参数不正确，请从第一页重新加载");
            after = decoded;
        }
        var pageSize = Math.Clamp(limit ?? 20, 1, 50);
        var rows = await orders.ListForUserAsync(http.User.Id(), status, after, pageSize + 1, ct);
        var page = rows.Take(pageSize).Select(o => OrderSummaryDto.From(o, catalog)).ToList();
        var next = rows.Count > pageSize ? new OrderCursor(page[^1].CreatedAt, page[^1].Id).Encode() : null;
        return TypedResults.Ok(new OrderPage(page, next));
    }

    internal static async Task<Results<Ok<OrderDto>, ProblemHttpResult>> GetAsync(
        Guid id, HttpContext http, OrderStore orders, ProductCatalog catalog, ReviewStore reviews, PhotoStore photos, ReceiptStore receipts,
        CancellationToken ct)
    {
        var order = await orders.FindForUserAsync(id, http.User.Id(), ct);
        if (order is null) return NotFound();
        var timeline = await orders.TimelineAsync(order.Id, ct);
        var receipt = order.ImageNumber is null ? null : await receipts.FindAsync(order.Id, ct);
        return TypedResults.Ok(OrderDto.From(order, catalog) with
        {
            Timeline = timeline.Select(OrderDto.From).ToList(),
            Rejection = await RejectionAsync(order, reviews, photos, ct),
            Receipt = receipt is null ? null : ReceiptSummaryDto.From(receipt),
        });
    }

    /// <summary>For a rejected order: the reasons (codes with what to do) and the reviewer's note.</summary>
    private static async Task<RejectionDto?> RejectionAsync(OrderRow order, ReviewStore reviews, PhotoStore photos, CancellationToken ct)
    {
        if (order.Status != OrderStatus.Rejected) return null;
        var decision = await reviews.LatestDecisionAsync(order.Id, ct);
        if (decision is null || decision.Decision != OrderStatus.Rejected) return null;
        var report = await photos.FindReportAsync(order.PhotoId, ct);
        return new RejectionDto(decision.ReasonCodes, decision.ReasonCodes.Select(c => new RejectionReason(c, ReviewReasons.Message(c, report))).ToList(),
            decision.Note, decision.DecidedAt);
    }

    internal static async Task<Results<Ok<OrderDto>, ProblemHttpResult>> RetakeAsync(
        Guid id, RetakeRequest request, HttpContext http, OrderStore orders, OrderLifecycle lifecycle, PhotoStore photos, ReviewStore reviews,
        ProductCatalog catalog, CancellationToken ct)
    {
        var userId = http.User.Id();
        var order = await orders.FindForUserAsync(id, userId, ct);
        if (order is null) return NotFound();
        if (order.Status != OrderStatus.Rejected)
            return TypedResults.Problem(statusCode: 409, title: "无需重拍", detail: $"订单{OrderStatus.Label(order.Status)}，只有未通过审核的订单可以重拍");
        var photo = await photos.FindForUserAsync(request.PhotoId!.Value, userId, ct);
        if (photo is null) return TypedResults.Problem(statusCode: 404, title: "找不到", detail: "找不到这张照片，请重新上传");
        if (photo.Id == order.PhotoId || await reviews.WasSubmittedAsync(id, photo.Id, ct))
            return TypedResults.Problem(statusCode: 422, title: "请换一张照片", detail: "这张照片已经提交过审核，请按提示重新拍摄后再提交");
        var product = catalog.FindProduct(order.ProductId);
        if (product is null || photo.SpecId != product.SpecId)
            return TypedResults.Problem(statusCode: 422, title: "照片规格不符", detail: "这张照片是按其他证件规格处理的，请为这个订单的证件重新上传照片");
        if (PhotoProblem(photo) is { } problem) return problem;

        if (!await lifecycle.RetakeAsync(id, photo.Id, ct))
            return TypedResults.Problem(statusCode: 409, title: "无需重拍", detail: "订单状态已变化，请刷新后再试");
        var updated = (await orders.FindForUserAsync(id, userId, ct))!;
        var timeline = await orders.TimelineAsync(id, ct);
        return TypedResults.Ok(OrderDto.From(updated, catalog) with { Timeline = timeline.Select(OrderDto.From).ToList() });
    }

    internal static async Task<Results<Ok<OrderDto>, ProblemHttpResult>> CancelAsync(
        Guid id, HttpContext http, OrderStore orders, OrderLifecycle lifecycle, ProductCatalog catalog, CancellationToken ct)
    {
        var userId = http.User.Id();
        var order = await orders.FindForUserAsync(id, userId, ct);
        if (order is null) return NotFound();
        var moved = await lifecycle.CancelAsync(id, null, ct);
        if (moved is null)
            return TypedResults.Problem(statusCode: 409, title: "无法取消", detail: $"订单{OrderStatus.Label(order.Status)}，已不能取消");
        var updated = (await orders.FindForUserAsync(id, userId, ct))!;
        var timeline = await orders.TimelineAsync(id, ct);
        return TypedResults.Ok(OrderDto.From(updated, catalog) with { Timeline = timeline.Select(OrderDto.From).ToList() });
    }

    internal static async Task<Results<Ok<OrderDto>, ProblemHttpResult>> PaymentAsync(
        Guid id, HttpContext http, OrderStore orders, ProductCatalog catalog, IWeChatPay pay, CancellationToken ct)
    {
        var order = await orders.FindForUserAsync(id, http.User.Id(), ct);
        if (order is null) return NotFound();
        if (order.Status != OrderStatus.AwaitingPayment)
            return TypedResults.Problem(statusCode: 409, title: "无需支付", detail: $"订单{OrderStatus.Label(order.Status)}，无需支付");
        var product = catalog.FindProduct(order.ProductId)!;
        return TypedResults.Ok(await WithPaymentAsync(OrderDto.From(order, catalog), order, product, http.User.OpenId(), pay, ct));
    }

    internal static async Task<Results<Ok<OrderDto>, ProblemHttpResult>> SandboxPayAsync(
        Guid id, HttpContext http, OrderStore orders, ProductCatalog catalog, SandboxPayments sandbox, OrderLifecycle lifecycle, CancellationToken ct)
    {
        if (!sandbox.Enabled) return NotFound();
        var userId = http.User.Id();
        var order = await orders.FindForUserAsync(id, userId, ct);
        if (order is null) return NotFound();
        if (order.Status != OrderStatus.AwaitingPayment)
            return TypedResults.Problem(statusCode: 409, title: "无需支付", detail: $"订单{OrderStatus.Label(order.Status)}，无需支付");
        await lifecycle.PayAsync(sandbox.Paid(order.OrderNo, order.PriceFen, http.User.OpenId()), ct);
        var updated = (await orders.FindForUserAsync(id, userId, ct))!;
        var timeline = await orders.TimelineAsync(id, ct);
        return TypedResults.Ok(OrderDto.From(updated, catalog) with { Timeline = timeline.Select(OrderDto.From).ToList() });
    }

    private static async Task<OrderDto> WithPaymentAsync(OrderDto dto, OrderRow order, Product product, string openId, IWeChatPay pay, CancellationToken ct)
    {
        // The same out_trade_no every time: WeChat Pay hands back the same prepay order, never a second charge.
        try
        {
            // Expiry from the order, not from now, so a retry sends WeChat identical parameters.
            var result = await pay.CreateJsapiPaymentAsync(new PaymentRequest(order.OrderNo, product.Name, order.PriceFen, openId,
                new DateTimeOffset(order.CreatedAt, TimeSpan.Zero).AddHours(2)), ct);
            if (result.Ok) return dto with { Payment = result.Value };
        }
        catch (WeChatTransportException)
        {
            // WeChat Pay did not answer: the order stands; the user retries payment from the order page.
        }
        return dto with { PaymentError = "支付服务暂时不可用，请稍后在订单页重试支付" };
    }

    private static ProblemHttpResult NotFound() => TypedResults.Problem(statusCode: 404, title: "找不到", detail: "找不到这个订单");
}
