using PhotoReceipt.Data.WeChat;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;
using PhotoReceipt.Core.WeChat;
using PhotoReceipt.WeChat.Api;
using PhotoReceipt.WeChat.Http;
using PhotoReceipt.WeChat.Pay;
using PhotoReceipt.WeChat.Push;
using PhotoReceipt.WeChat.Sandbox;
using PhotoReceipt.WeChat.Token;

namespace PhotoReceipt.WeChat;

public static class WeChatServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IWeChatApi"/> and <see cref="IWeChatPay"/>: the real clients when WeChat:AppId
    /// (and, for pay, WeChatPay:MchId) is configured, the sandbox otherwise; plus the push and pay-notice
    /// handlers the endpoints call. Options are validated on start. Expects an <c>NpgsqlDataSource</c> and a
    /// <see cref="TimeProvider"/> (the system clock is added if none is registered).
    /// </summary>
    public static IServiceCollection AddWeChat(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WeChatOptions>().Bind(configuration.GetSection(WeChatOptions.Section)).ValidateOnStart();
        services.AddOptions<WeChatPayOptions>().Bind(configuration.GetSection(WeChatPayOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WeChatOptions>, WeChatOptionsValidation>();
        services.AddSingleton<IValidateOptions<WeChatPayOptions>, WeChatPayOptionsValidation>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddWeChatStores();

        services.AddSingleton<MessagePushHandlerCore>();
        services.AddSingleton<WeChatPayKeys>();
        services.AddSingleton<PayNotificationVerifier>();
        services.AddSingleton<PayNotificationHandler>();

        // IHttpClientFactory's default logging writes full request URIs, and WeChat puts access_token and the
        // AppSecret in the query string: those loggers are removed and WeChatHttp logs paths only.
        // The per-call timeout comes from options; nothing is retried automatically (OutboundHttp).
        services.AddHttpClient<WeChatHttp>().RemoveAllLoggers()
            .AddCallTimeout(sp => sp.GetRequiredService<IOptionsMonitor<WeChatOptions>>().CurrentValue.Timeout);
        services.AddHttpClient<WeChatPayClient>().RemoveAllLoggers()
            .AddCallTimeout(sp => sp.GetRequiredService<IOptionsMonitor<WeChatPayOptions>>().CurrentValue.Timeout);
        services.AddSingleton<AccessTokenProvider>();
        services.AddTransient<WeChatApiClient>();
        services.AddTransient<SandboxWeChatApi>();
        services.AddTransient<SandboxWeChatPay>();
        services.AddSingleton<SandboxPayments>();

        // Sandbox or real is decided by configuration when resolved, so environment overrides apply.
        services.AddTransient<IWeChatApi>(sp => sp.GetRequiredService<IOptions<WeChatOptions>>().Value.IsSandbox
            ? sp.GetRequiredService<SandboxWeChatApi>()
            : sp.GetRequiredService<WeChatApiClient>());
        services.AddTransient<IWeChatPay>(sp => sp.GetRequiredService<IOptions<WeChatPayOptions>>().Value
                .SimulatedWith(sp.GetRequiredService<IOptions<WeChatOptions>>().Value)
            ? sp.GetRequiredService<SandboxWeChatPay>()
            : sp.GetRequiredService<WeChatPayClient>());
        return services;
    }
}
