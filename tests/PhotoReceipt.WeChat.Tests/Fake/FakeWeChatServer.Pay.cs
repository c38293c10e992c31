using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PhotoReceipt.WeChat.Pay;

namespace PhotoReceipt.WeChat.Tests.Fake;

/// <summary>A notice as WeChat Pay would POST it: the Wechatpay-* headers and the exact body bytes.</summary>
public sealed record FakePayNotice(PayNoticeHeaders Headers, byte[] Body);

public sealed partial class FakeWeChatServer
{
    private readonly ConcurrentDictionary<string, (string Body, string PrepayId)> _orders = new();
    private readonly ConcurrentDictionary<string, string> _tradeStates = new();
    private readonly ConcurrentDictionary<string, string> _refunds = new();
    private int _jsapiOrdersCreated, _refundsCreated, _signatureFailures;

    /// <summary>Distinct JSAPI orders created (a retry with the same out_trade_no and body creates none).</summary>
    public int JsapiOrdersCreated => Volatile.Read(ref _jsapiOrdersCreated);
    /// <summary>Distinct refunds created (a retry with the same out_refund_no creates none).</summary>
    public int RefundsCreated => Volatile.Read(ref _refundsCreated);
    /// <summary>Requests refused with 401 SIGN_ERROR.</summary>
    public int SignatureFailures => Volatile.Read(ref _signatureFailures);

    /// <summary>Marks an order paid so the order query answers SUCCESS.</summary>
    public void MarkPaid(string outTradeNo) => _tradeStates[outTradeNo] = "SUCCESS";

    private void MapPay(WebApplication app)
    {
        Map(app, "POST", "/v3/pay/transactions/jsapi", JsapiAsync);
        Map(app, "GET", "/v3/pay/transactions/out-trade-no/{outTradeNo}",
            http => QueryOrderAsync(http, (string)http.Request.RouteValues["outTradeNo"]!));
        Map(app, "POST", "/v3/refund/domestic/refunds", RefundAsync);
    }

    private async Task<IResult> JsapiAsync(HttpContext http)
    {
        var body = await ReadBodyAsync(http.Request);
        if (await EnterAsync(http, body) is { } fault) return fault;
        if (!VerifyAuthorization(http, body)) return SignError(http);
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        var outTradeNo = Str(root, "out_trade_no");
        if (Str(root, "appid") != AppId || Str(root, "mchid") != MchId)
            return PayErrorResult(http, 400, "APPID_MCHID_NOT_MATCH", "appid和mch_id不匹配");
        if (outTradeNo is null || !OutTradeNo().IsMatch(outTradeNo) || !root.TryGetProperty("payer", out _)
            || Str(root, "notify_url") is not { } notify || !notify.StartsWith("https://", StringComparison.Ordinal))
            return PayErrorResult(http, 400, "PARAM_ERROR", "参数错误");
        // Same out_trade_no with the same parameters: the same prepay_id. Different parameters: refused.
        var created = false;
        var order = _orders.GetOrAdd(outTradeNo, _ =>
        {
            created = true;
            return (body, "wx" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(14)));
        });
        if (created) Interlocked.Increment(ref _jsapiOrdersCreated);
        if (order.Body != body) return PayErrorResult(http, 400, "INVALID_REQUEST", "201 商户订单号重复");
        _tradeStates.TryAdd(outTradeNo, "NOTPAY");
        return PayJson(http, new { prepay_id = order.PrepayId });
    }

    private async Task<IResult> QueryOrderAsync(HttpContext http, string outTradeNo)
    {
        if (await EnterAsync(http, "") is { } fault) return fault;
        if (!VerifyAuthorization(http, "")) return SignError(http);
        if (http.Request.Query["mchid"] != MchId) return PayErrorResult(http, 400, "PARAM_ERROR", "mchid 不正确");
        if (!_orders.TryGetValue(outTradeNo, out var order)) return PayErrorResult(http, 404, "ORDER_NOT_EXIST", "订单不存在");
        using var doc = JsonDocument.Parse(order.Body);
        var state = _tradeStates.GetValueOrDefault(outTradeNo, "NOTPAY");
        var total = doc.RootElement.GetProperty("amount").GetProperty("total").GetInt32();
        return PayJson(http, Transaction(outTradeNo, state, total, Str(doc.RootElement.GetProperty("payer"), "openid")!));
    }

    private async Task<IResult> RefundAsync(HttpContext http)
    {
        var body = await ReadBodyAsync(http.Request);
        // Processed even when a Delay fault makes the caller give up: the retry must find this refund.
        if (await EnterAsync(http, body) is { } fault) return fault;
        if (!VerifyAuthorization(http, body)) return SignError(http);
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        var outRefundNo = Str(root, "out_refund_no");
        var outTradeNo = Str(root, "out_trade_no");
        if (outRefundNo is null || outTradeNo is null) return PayErrorResult(http, 400, "PARAM_ERROR", "参数错误");
        if (!_orders.ContainsKey(outTradeNo)) return PayErrorResult(http, 404, "RESOURCE_NOT_EXISTS", "订单不存在");
        var created = false;
        var refundId = _refunds.GetOrAdd(outRefundNo, _ =>
        {
            created = true;
            return "50300" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
        });
        if (created) Interlocked.Increment(ref _refundsCreated);
        var amount = root.GetProperty("amount");
        return PayJson(http, new
        {
            refund_id = refundId, out_refund_no = outRefundNo, transaction_id = "4200000000" + outTradeNo, out_trade_no = outTradeNo,
            channel = "ORIGINAL", user_received_account = "支付用户零钱", status = "PROCESSING",
            create_time = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            amount = new { total = amount.GetProperty("total").GetInt32(), refund = amount.GetProperty("refund").GetInt32(),
                payer_total = amount.GetProperty("total").GetInt32(), payer_refund = amount.GetProperty("refund").GetInt32(), currency = "CNY" },
        });
    }

    /// <summary>A decrypted TRANSACTION.SUCCESS resource for one of this fake's orders (or any out_trade_no).</summary>
    public object Transaction(string outTradeNo, string state, int totalFen, string openId) => new
    {
        mchid = MchId, appid = AppId, out_trade_no = outTradeNo, transaction_id = "4200000000" + outTradeNo,
        trade_type = "JSAPI", trade_state = state, trade_state_desc = state == "SUCCESS" ? "支付成功" : "未支付",
        bank_type = "OTHERS", attach = "",
        success_time = state == "SUCCESS" ? "2026-11-21T10:00:00+08:00" : null,
        payer = new { openid = openId },
        amount = new { total = totalFen, payer_total = totalFen, currency = "CNY", payer_currency = "CNY" },
    };

    /// <summary>
    /// Builds a notice the way WeChat Pay does: resource encrypted with AES-256-GCM under the APIv3 key, body
    /// signed with the platform key over "timestamp\nnonce\nbody\n". <paramref name="signWith"/> forges it.
    /// </summary>
    public FakePayNotice BuildNotice(string eventType, string originalType, object resource, string? noticeId = null,
        DateTimeOffset? timestamp = null, RSA? signWith = null, string? serial = null)
    {
        var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(6));
        var associatedData = originalType;
        var ciphertext = PayNotificationVerifier.Encrypt(ApiV3Key, nonce, associatedData, JsonSerializer.Serialize(resource));
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            id = noticeId ?? Guid.NewGuid().ToString(),
            create_time = "2026-11-21T10:00:05+08:00",
            resource_type = "encrypt-resource",
            event_type = eventType,
            summary = eventType.StartsWith("REFUND", StringComparison.Ordinal) ? "退款成功" : "支付成功",
            resource = new { original_type = originalType, algorithm = "AEAD_AES_256_GCM", ciphertext, associated_data = associatedData, nonce },
        });
        return Sign(body, timestamp, signWith, serial);
    }

    /// <summary>Signs (or re-signs, as WeChat's retries do) a notice body with fresh timestamp and nonce.</summary>
    public FakePayNotice Sign(byte[] body, DateTimeOffset? timestamp = null, RSA? signWith = null, string? serial = null)
    {
        var ts = (timestamp ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var headerNonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var signature = Convert.ToBase64String((signWith ?? PlatformKey).SignData(
            WeChatPaySignature.NoticeMessage(ts, headerNonce, body), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        return new FakePayNotice(new PayNoticeHeaders(serial ?? PublicKeyId, signature, ts, headerNonce), body);
    }

    private bool VerifyAuthorization(HttpContext http, string body)
    {
        var header = http.Request.Headers.Authorization.ToString();
        const string scheme = WeChatPaySignature.Scheme + " ";
        var ok = false;
        if (header.StartsWith(scheme, StringComparison.Ordinal))
        {
            var p = AuthParameter().Matches(header[scheme.Length..]).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
            if (p.GetValueOrDefault("mchid") == MchId && p.GetValueOrDefault("serial_no") == MerchantSerialNo
                && long.TryParse(p.GetValueOrDefault("timestamp"), out var ts)
                && Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - ts) <= 300
                && p.TryGetValue("nonce_str", out var nonce) && p.TryGetValue("signature", out var signature))
            {
                var message = WeChatPaySignature.RequestMessage(http.Request.Method, http.Request.Path + http.Request.QueryString, ts, nonce, body);
                ok = MerchantKey.VerifyData(Encoding.UTF8.GetBytes(message), Convert.FromBase64String(signature),
                    HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            }
        }
        if (!ok) Interlocked.Increment(ref _signatureFailures);
        return ok;
    }

    private static IResult SignError(HttpContext http) => PayErrorResult(http, 401, "SIGN_ERROR", "签名错误");

    private static IResult PayErrorResult(HttpContext http, int status, string code, string message)
    {
        http.Response.Headers["Request-ID"] = "08F" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        return Results.Text(JsonSerializer.Serialize(new { code, message }), "application/json", Encoding.UTF8, status);
    }

    /// <summary>Answers are signed with the platform key, like notices (Wechatpay-* headers over the body).</summary>
    private IResult PayJson(HttpContext http, object value)
    {
        var body = JsonSerializer.Serialize(value);
        var signed = Sign(Encoding.UTF8.GetBytes(body), signWith: SignAnswersWith);
        var headers = http.Response.Headers;
        headers["Request-ID"] = "08F" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        headers["Wechatpay-Serial"] = signed.Headers.Serial;
        headers["Wechatpay-Signature"] = signed.Headers.Signature;
        headers["Wechatpay-Timestamp"] = signed.Headers.Timestamp;
        headers["Wechatpay-Nonce"] = signed.Headers.Nonce;
        return Results.Text(body, "application/json", Encoding.UTF8);
    }

    /// <summary>Set to another key to simulate an answer that did not come from WeChat Pay.</summary>
    public RSA? SignAnswersWith { get; set; }

    [GeneratedRegex(@"^[0-9A-Za-z_\-|*]{6,32}$")]
    private static partial Regex OutTradeNo();
    [GeneratedRegex("(\\w+)=\"([^\"]*)\"")]
    private static partial Regex AuthParameter();
}
