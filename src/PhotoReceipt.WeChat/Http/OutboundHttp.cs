using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;
using PhotoReceipt.Core.WeChat;

namespace PhotoReceipt.WeChat.Http;

/// <summary>
/// The one style for a typed client that calls another service (WeChat, WeChat Pay, an external photo
/// center): IHttpClientFactory, and Microsoft.Extensions.Http.Resilience for the per-call timeout only.
/// No automatic retries: a payment, a refund, a subscribe message or a submission is not safe to send
/// twice on a guess. Retrying is the caller's decision: the job queue's backoff, the notice sender's
/// at-most-once bookkeeping, WeChat Pay's reuse of out_trade_no / out_refund_no.
/// </summary>
public static class OutboundHttp
{
    /// <param name="timeout">Read per call, so options reloaded at run time apply.</param>
    public static IHttpClientBuilder AddCallTimeout(this IHttpClientBuilder builder, Func<IServiceProvider, TimeSpan> timeout)
    {
        // The resilience handler's timeout is the only one; HttpClient's own 100 s would race it.
        builder.ConfigureHttpClient(c => c.Timeout = Timeout.InfiniteTimeSpan);
        builder.AddResilienceHandler("call-timeout", (pipeline, context) =>
            pipeline.AddTimeout(new HttpTimeoutStrategyOptions
            {
                TimeoutGenerator = _ => ValueTask.FromResult(timeout(context.ServiceProvider)),
            }));
        return builder;
    }

    /// <summary>
    /// Sends and buffers the answer within the call's timeout. A timeout or a connection that failed becomes a
    /// <see cref="WeChatTransportException"/> naming <paramref name="what"/>; the caller's own cancellation stays
    /// a cancellation.
    /// </summary>
    internal static async Task<HttpResponseMessage> SendOrThrowTransportAsync(this HttpClient http, HttpRequestMessage request, string what,
        CancellationToken ct, string? retryHint = null)
    {
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        }
        catch (TimeoutRejectedException e)
        {
            throw new WeChatTransportException($"{what} timed out after {e.Timeout.TotalSeconds:0.#} s.{retryHint}", e);
        }
        catch (HttpRequestException e)
        {
            throw new WeChatTransportException($"{what} could not be reached: {e.Message}", e);
        }
    }
}
