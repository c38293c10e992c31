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
using PhotoReceipt.Data.Photos;
using PhotoReceipt.Data.Receipts;
using PhotoReceipt.Data.Review;
using PhotoReceipt.WeChat;

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

    internal static async Task<Results<Created<OrderDto>, BadRequestProblem, NotFoundProblem, ConflictProblem, UnprocessableProblem>> CreateAsync(
        CreateOrderRequest request, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, CurrentUser user,
        [AsParameters] OrderServices s, HttpContext http, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(idempotencyKey) || idempotencyKey.Length > 100)
            return new BadRequestProblem("请求有误", "缺少 Idempotency-Key 请求头（每次下单生成一个新的随机值）");
        var product = s.Catalog.FindProduct(request.ProductId!)!;
        var applicant = request.Applicant!;
        var name = applicant.Name!.Trim();
        var idNumber = ChineseIdNumber.Normalize(applicant.IdNumber!);
        var phone = MainlandMobile.Normalize(applicant.Phone!);
        var guardian = GuardianRules.NeedsGuardian(idNumber, s.Clock) ? request.Guardian : null;
        var requestHash = SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Join('\n', product.Id, request.PhotoId, name, idNumber, phone, request.ConsentVersion)
            + (guardian is null ? "" : $"\n{guardian.Relationship}\n{guardian.Name!.Trim()}")));

        // A retry of an order already made answers with that order, whatever has happened to the photo since.
        var order = await s.Orders.FindByIdempotencyKeyAsync(user.Id, idempotencyKey, ct);
        var created = false;
        if (order is null)
        {
            var photo = await s.Photos.FindForUserAsync(request.PhotoId!.Value, user.Id, ct);
            if (photo is null) return new NotFoundProblem("找不到", "找不到这张照片，请重新上传");
            if (photo.SpecId != product.SpecId)
                return new UnprocessableProblem("照片规格不符", "这张照片是按其他证件规格处理的，请为所选证件重新上传照片");
            switch (PhotoProblem(photo))
            {
                case ConflictProblem p: return p;
                case UnprocessableProblem p: return p;
            }
            if ((await s.MediaChecks.FindByPhotoAsync(photo.Id, ct))?.Suggest == "risky")
                return new UnprocessableProblem("照片未通过内容安全检测", "这张照片未通过微信内容安全检测，请重新拍摄一张证件照");

            var initial = product.PriceFen == 0 ? OrderStatus.Queued : OrderStatus.AwaitingPayment;
            // A free order is queued at once: the lifecycle enqueues its submission in the same transaction.
            (order, created) = await s.Lifecycle.CreateAsync(new NewOrder(
                Guid.CreateVersion7(), s.Orders.NewOrderNo(), user.Id, product.Id, photo.Id, initial, product.PriceFen,
                s.Pii.Encrypt(name), s.Pii.Encrypt(idNumber), s.Pii.Encrypt(phone),
                s.Pii.LookupHash("id", idNumber), s.Pii.LookupHash("phone", phone),
                PersonalDataMasks.Name(name), ChineseIdNumber.Mask(idNumber), PersonalDataMasks.Phone(phone), s.Pii.CurrentKeyId,
                request.ConsentVersion!, idempotencyKey, requestHash),
                guardian is null ? null : GuardianConsent(guardian, s.Pii), ct);
        }
        if (!created)
        {
            // Same key and same body: the same order. Same key, different body: a client bug, refused.
            if (!CryptographicOperations.FixedTimeEquals(order.RequestHash, requestHash))
                return new UnprocessableProblem("重复的请求标识", "这个 Idempotency-Key 已用于另一笔内容不同的订单，请生成新的标识后重试");
            http.Response.Headers["Idempotent-Replayed"] = "true";
        }

        var dto = OrderDto.From(order, s.Catalog);
        if (order.Status == OrderStatus.AwaitingPayment)
            dto = await WithPaymentAsync(dto, order, product, user.OpenId, s.Pay, ct);
        return TypedResults.Created($"/api/v1/orders/{order.Id}", dto);
    }

    /// <summary>Why a photo cannot be ordered yet (409 while processing, 422 when unusable), or null when it can.</summary>
    private static IResult? PhotoProblem(PhotoRow photo) => photo.Status switch
    {
        PhotoStatus.Processing => new ConflictProblem("照片处理中", "照片还在处理中，请稍候再提交"),
        PhotoStatus.Failed => new UnprocessableProblem("照片不可用", "这张照片无法处理，请按提示重新拍摄"),
        _ when photo.Usable != true => new UnprocessableProblem("照片未通过检测", "照片未通过检测，请按检测结果的提示重新拍摄"),
        _ => null,
    };

    internal static async Task<Results<Ok<OrderPage>, BadRequestProblem>> ListAsync(
        string? cursor, string? status, int? limit, CurrentUser user, OrderStore orders, ProductCatalog catalog, CancellationToken ct)
    {
        if (status is not null && !OrderStatus.IsKnown(status))
            return new BadRequestProblem("请求有误", "订单状态筛选条件不正确");
        OrderCursor? after = null;
        if (cursor is not null)
        {
            if (!OrderCursor.TryDecode(cursor, out var decoded))
                return new BadRequestProblem("请求有误", "分页参数不正确，请从第一页重新加载");
            after = decoded;
        }
        var pageSize = Math.Clamp(limit ?? 20, 1, 50);
        var rows = await orders.ListForUserAsync(user.Id, status, after, pageSize + 1, ct);
        var page = rows.Take(pageSize).Select(o => OrderSummaryDto.From(o, catalog)).ToList();
        var next = rows.Count > pageSize ? new OrderCursor(page[^1].CreatedAt, page[^1].Id).Encode() : null;
        return TypedResults.Ok(new OrderPage(page, next));
    }

    internal static async Task<Results<Ok<OrderDto>, NotFoundProblem>> GetAsync(Guid id, CurrentUser user, [AsParameters] OrderServices s, CancellationToken ct)
    {
        var order = await s.Orders.FindForUserAsync(id, user.Id, ct);
        if (order is null) return NotFound();
        var receipt = order.ImageNumber is null ? null : await s.Receipts.FindAsync(order.Id, ct);
        var guardian = await s.Guardians.FindAsync(order.Id, ct);
        return TypedResults.Ok(await WithTimelineAsync(order, s, ct) with
        {
            Rejection = await RejectionAsync(order, s, ct),
            Receipt = receipt is null ? null : ReceiptSummaryDto.From(receipt),
            Guardian = guardian is null ? null : new GuardianConsentDto(guardian.Relationship, guardian.GuardianNameMasked, guardian.GivenAt),
        });
    }

    /// <summary>For a rejected order: the reasons (codes with what to do) and the reviewer's note.</summary>
    private static async Task<RejectionDto?> RejectionAsync(OrderRow order, OrderServices s, CancellationToken ct)
    {
        if (order.Status != OrderStatus.Rejected) return null;
        var decision = await s.Reviews.LatestDecisionAsync(order.Id, ct);
        if (decision is null || decision.Decision != OrderStatus.Rejected) return null;
        var report = await s.Photos.FindReportAsync(order.PhotoId, ct);
        return new RejectionDto(decision.ReasonCodes, decision.ReasonCodes.Select(c => new RejectionReason(c, ReviewReasons.Message(c, report))).ToList(),
            decision.Note, decision.DecidedAt);
    }

    internal static async Task<Results<Ok<OrderDto>, NotFoundProblem, ConflictProblem, UnprocessableProblem>> RetakeAsync(
        Guid id, RetakeRequest request, CurrentUser user, [AsParameters] OrderServices s, CancellationToken ct)
    {
        var order = await s.Orders.FindForUserAsync(id, user.Id, ct);
        if (order is null) return NotFound();
        if (order.Status != OrderStatus.Rejected)
            return new ConflictProblem("无需重拍", $"订单{OrderStatus.Label(order.Status)}，只有未通过审核的订单可以重拍");
        var photo = await s.Photos.FindForUserAsync(request.PhotoId!.Value, user.Id, ct);
        if (photo is null) return new NotFoundProblem("找不到", "找不到这张照片，请重新上传");
        if (photo.Id == order.PhotoId || await s.Reviews.WasSubmittedAsync(id, photo.Id, ct))
            return new UnprocessableProblem("请换一张照片", "这张照片已经提交过审核，请按提示重新拍摄后再提交");
        var product = s.Catalog.FindProduct(order.ProductId);
        if (product is null || photo.SpecId != product.SpecId)
            return new UnprocessableProblem("照片规格不符", "这张照片是按其他证件规格处理的，请为这个订单的证件重新上传照片");
        switch (PhotoProblem(photo))
        {
            case ConflictProblem p: return p;
            case UnprocessableProblem p: return p;
        }

        if (!await s.Lifecycle.RetakeAsync(id, photo.Id, ct))
            return new ConflictProblem("无需重拍", "订单状态已变化，请刷新后再试");
        return TypedResults.Ok(await ReloadAsync(id, user, s, ct));
    }

    internal static async Task<Results<Ok<OrderDto>, NotFoundProblem, ConflictProblem>> CancelAsync(
        Guid id, CurrentUser user, [AsParameters] OrderServices s, CancellationToken ct)
    {
        var order = await s.Orders.FindForUserAsync(id, user.Id, ct);
        if (order is null) return NotFound();
        if (await s.Lifecycle.CancelAsync(id, null, ct) is null)
            return new ConflictProblem("无法取消", $"订单{OrderStatus.Label(order.Status)}，已不能取消");
        return TypedResults.Ok(await ReloadAsync(id, user, s, ct));
    }

    internal static async Task<Results<Ok<OrderDto>, NotFoundProblem, ConflictProblem>> PaymentAsync(
        Guid id, CurrentUser user, [AsParameters] OrderServices s, CancellationToken ct)
    {
        var order = await s.Orders.FindForUserAsync(id, user.Id, ct);
        if (order is null) return NotFound();
        if (order.Status != OrderStatus.AwaitingPayment)
            return new ConflictProblem("无需支付", $"订单{OrderStatus.Label(order.Status)}，无需支付");
        var product = s.Catalog.FindProduct(order.ProductId)!;
        return TypedResults.Ok(await WithPaymentAsync(OrderDto.From(order, s.Catalog), order, product, user.OpenId, s.Pay, ct));
    }

    internal static async Task<Results<Ok<OrderDto>, NotFoundProblem, ConflictProblem>> SandboxPayAsync(
        Guid id, CurrentUser user, [AsParameters] OrderServices s, CancellationToken ct)
    {
        if (!s.Sandbox.Enabled) return NotFound();
        var order = await s.Orders.FindForUserAsync(id, user.Id, ct);
        if (order is null) return NotFound();
        if (order.Status != OrderStatus.AwaitingPayment)
            return new ConflictProblem("无需支付", $"订单{OrderStatus.Label(order.Status)}，无需支付");
        await s.Lifecycle.PayAsync(s.Sandbox.Paid(order.OrderNo, order.PriceFen, user.OpenId), ct);
        return TypedResults.Ok(await ReloadAsync(id, user, s, ct));
    }

    /// <summary>The order as it is after a change, with its timeline.</summary>
    private static async Task<OrderDto> ReloadAsync(Guid id, CurrentUser user, OrderServices s, CancellationToken ct) =>
        await WithTimelineAsync((await s.Orders.FindForUserAsync(id, user.Id, ct))!, s, ct);

    private static async Task<OrderDto> WithTimelineAsync(OrderRow order, OrderServices s, CancellationToken ct) =>
        OrderDto.From(order, s.Catalog) with { Timeline = (await s.Orders.TimelineAsync(order.Id, ct)).Select(OrderDto.From).ToList() };

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

    private static NewGuardianConsent GuardianConsent(GuardianRequest guardian, PiiProtector pii)
    {
        var name = guardian.Name!.Trim();
        return new NewGuardianConsent(guardian.Relationship!, pii.Encrypt(name), PersonalDataMasks.Name(name), pii.CurrentKeyId);
    }

    private static NotFoundProblem NotFound() => new("找不到", "找不到这个订单");
}
