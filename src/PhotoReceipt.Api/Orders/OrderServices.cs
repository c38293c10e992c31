using PhotoReceipt.Core.Catalog;
using PhotoReceipt.Core.Identity;
using PhotoReceipt.Core.WeChat;
using PhotoReceipt.Data.Orders;
using PhotoReceipt.Data.Photos;
using PhotoReceipt.Data.Receipts;
using PhotoReceipt.Data.Review;
using PhotoReceipt.Data.WeChat;
using PhotoReceipt.WeChat.Sandbox;

namespace PhotoReceipt.Api.Orders;

/// <summary>What the order handlers use, bound with [AsParameters]: a handler takes this, the caller and its input.</summary>
internal sealed record OrderServices(
    OrderStore Orders,
    OrderLifecycle Lifecycle,
    PhotoStore Photos,
    ReviewStore Reviews,
    ReceiptStore Receipts,
    GuardianConsentStore Guardians,
    MediaCheckStore MediaChecks,
    ProductCatalog Catalog,
    PiiProtector Pii,
    IWeChatPay Pay,
    SandboxPayments Sandbox,
    TimeProvider Clock);
