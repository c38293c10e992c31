using PhotoReceipt.Data.WeChat;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PhotoReceipt.Core.WeChat;
using PhotoReceipt.WeChat.Http;

namespace PhotoReceipt.WeChat.Pay;

/// <summary>
/// The real <see cref="IWeChatPay"/> (API v3). WeChat Pay errors come back as <see cref="WeChatResult{T}"/> with
/// ErrCode = the HTTP status, ErrMsg = "CODE: message" and Rid = the Request-ID header support asks for.
/// </summary>
internal sealed class WeChatPayClient(
    HttpClient http,
    WeChatPayKeys keys,
    PrepayStore prepays,
    PayNotificationVerifier signatures,
    IOptionsMonitor<WeChatPayOptions> payOptions,
    IOptionsMonitor<WeChatOptions> wechatOptions,
    TimeProvider clock,
    ILogger<WeChatPayClient> log) : IWeChatPay
{
    // WeChat keeps a prepay_id usable for 2 hours; a little less leaves the user time to pay.
    private static readonly TimeSpan PrepayReuse = TimeSpan.FromMinutes(110);

    /// <summary>
    /// Idempotent per out_trade_no: a prepay_id from the last 110 minutes for the same amount and payer is
    /// re-signed without calling WeChat. Otherwise WeChat itself answers the same prepay_id for the same
    /// out_trade_no and parameters, and refuses (INVALID_REQUEST) the number with different ones, so no retry
    /// can charge twice.
    /// </summary>
    public async Task<WeChatResult<PaymentParameters>> CreateJsapiPaymentAsync(PaymentRequest request, CancellationToken cancellationToken)
    {
        var appId = wechatOptions.CurrentValue.AppId!;
        var now = clock.GetUtcNow();
        var known = await prepays.FindAsync(request.OutTradeNo, request.AmountFen, request.PayerOpenId, now - PrepayReuse, cancellationToken);
        if (known is not null)
            return WeChatResult<PaymentParameters>.Success(SignForClient(appId, known));

        var o = payOptions.CurrentValue;
        var body = new
        {
            appid = appId,
            mchid = o.MchId,
            description = request.Description,
            out_trade_no = request.OutTradeNo,
            time_expire = Rfc3339(request.ExpiresAt),
            notify_url = o.NotifyUrl,
            amount = new { total = request.AmountFen, currency = "CNY" },
            payer = new { openid = request.PayerOpenId },
        };
        var reply = await SendAsync(HttpMethod.Post, "/v3/pay/transactions/jsapi", body, cancellationToken);
        if (reply.Error is { } error) return WeChatResult<PaymentParameters>.Error(error.Status, error.Message, error.RequestId);
        var prepayId = PayJson.Text(reply.Json, "prepay_id");
        if (string.IsNullOrEmpty(prepayId))
            return WeChatResult<PaymentParameters>.Error(500, "jsapi answered without prepay_id", reply.RequestId);

        await prepays.SaveAsync(request.OutTradeNo, prepayId, request.AmountFen, request.PayerOpenId, now, cancellationToken);
        return WeChatResult<PaymentParameters>.Success(SignForClient(appId, prepayId));
    }

    /// <summary>wx.requestPayment's arguments; paySign covers appId, timeStamp, nonceStr and package.</summary>
    private PaymentParameters SignForClient(string appId, string prepayId)
    {
        var timeStamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = NewNonce();
        var package = "prepay_id=" + prepayId;
        var paySign = keys.Sign(WeChatPaySignature.PaySignMessage(appId, timeStamp, nonce, package));
        return new PaymentParameters(timeStamp, nonce, package, "RSA", paySign, Sandbox: false);
    }

    public async Task<WeChatResult<PayTransaction>> QueryOrderAsync(string outTradeNo, CancellationToken cancellationToken)
    {
        var path = "/v3/pay/transactions/out-trade-no/" + Uri.EscapeDataString(outTradeNo) + "?mchid=" + Uri.EscapeDataString(payOptions.CurrentValue.MchId!);
        var reply = await SendAsync<object?>(HttpMethod.Get, path, null, cancellationToken);
        return reply.Error is { } error
            ? WeChatResult<PayTransaction>.Error(error.Status, error.Message, error.RequestId)
            : WeChatResult<PayTransaction>.Success(PayJson.ReadTransaction(reply.Json));
    }

    public async Task<WeChatResult<PayRefund>> RefundAsync(RefundRequest request, CancellationToken cancellationToken)
    {
        var body = new
        {
            out_trade_no = request.OutTradeNo,
            out_refund_no = request.OutRefundNo,
            reason = request.Reason,
            notify_url = payOptions.CurrentValue.RefundNotifyUrl,
            amount = new { refund = request.RefundFen, total = request.TotalFen, currency = "CNY" },
        };
        var reply = await SendAsync(HttpMethod.Post, "/v3/refund/domestic/refunds", body, cancellationToken);
        return reply.Error is { } error
            ? WeChatResult<PayRefund>.Error(error.Status, error.Message, error.RequestId)
            : WeChatResult<PayRefund>.Success(PayJson.ReadRefund(reply.Json));
    }

    private sealed record PayError(int Status, string Message, string? RequestId);
    private sealed record PayReply(JsonElement Json, PayError? Error, string? RequestId);

    private async Task<PayReply> SendAsync<TBody>(HttpMethod method, string pathAndQuery, TBody body, CancellationToken ct)
    {
        var o = payOptions.CurrentValue;
        var json = body is null ? "" : JsonSerializer.Serialize(body, WeChatJson.Options);
        using var request = new HttpRequestMessage(method, new Uri(o.ApiBaseUrl.TrimEnd('/') + pathAndQuery));
        if (body is not null)
            request.Content = new StringContent(json, new UTF8Encoding(false), "application/json");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        // WeChat Pay rejects requests without a User-Agent.
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("PhotoReceipt", "1.0"));
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        var nonce = NewNonce();
        var signature = keys.Sign(WeChatPaySignature.RequestMessage(method.Method, request.RequestUri!.PathAndQuery, timestamp, nonce, json));
        request.Headers.Authorization = new AuthenticationHeaderValue(WeChatPaySignature.Scheme,
            WeChatPaySignature.AuthorizationParameters(o.MchId!, nonce, signature, timestamp, o.MerchantSerialNo!));

        var path = pathAndQuery.Split('?')[0];
        HttpResponseMessage response;
        try
        {
            response = await http.SendOrThrowTransportAsync(request, $"WeChat Pay {path}", ct, " Retry with the same out_trade_no / out_refund_no.");
        }
        catch (WeChatTransportException e)
        {
            log.LogWarning("WeChat Pay {Path} failed: {Error}", path, e.Message);
            throw;
        }
        using (response)
        {
            var bytes = await response.Content.ReadAsByteArrayAsync(ct);
            var requestId = Header(response, "Request-ID");
            var parsed = ParseOrEmpty(bytes);
            if (response.IsSuccessStatusCode)
            {
                // Answers are signed like notices; an answer that does not verify is not from WeChat Pay.
                var refusal = signatures.CheckSignature(new PayNoticeHeaders(Header(response, "Wechatpay-Serial"),
                    Header(response, "Wechatpay-Signature"), Header(response, "Wechatpay-Timestamp"), Header(response, "Wechatpay-Nonce")), bytes);
                if (refusal != PayNoticeRefusal.None)
                {
                    log.LogWarning("WeChat Pay {Path} answer refused: {Refusal}, request id {RequestId}", path, refusal, requestId);
                    return new PayReply(default, new PayError(502, $"RESPONSE_SIGNATURE: {refusal}", requestId), requestId);
                }
                return new PayReply(parsed, null, requestId);
            }
            var message = $"{PayJson.Text(parsed, "code") ?? "HTTP_" + (int)response.StatusCode}: {PayJson.Text(parsed, "message")}";
            log.LogWarning("WeChat Pay {Path} answered {Status} {Message} request id {RequestId}", path, (int)response.StatusCode, message, requestId);
            return new PayReply(parsed, new PayError((int)response.StatusCode, message, requestId), requestId);
        }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static JsonElement ParseOrEmpty(byte[] bytes)
    {
        if (bytes.Length == 0) return default;
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private static string NewNonce() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    private static string Rfc3339(DateTimeOffset t) =>
        t.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
