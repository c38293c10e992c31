using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace PhotoReceipt.Data.WeChat;

public static class WeChatStoresRegistration
{
    /// <summary>
    /// The stores behind the WeChat client (tables of migration 0002 and later). Try-added: both
    /// <c>AddPhotoReceiptData</c> and the WeChat library's <c>AddWeChat</c> call this, and a host may call both.
    /// </summary>
    public static IServiceCollection AddWeChatStores(this IServiceCollection services)
    {
        services.TryAddSingleton<MediaCheckStore>();
        services.TryAddSingleton<ConversationLog>();
        services.TryAddSingleton<SandboxMessageStore>();
        services.TryAddSingleton<PushDedupeStore>();
        services.TryAddSingleton<PayNoticeStore>();
        services.TryAddSingleton<PrepayStore>();
        services.TryAddSingleton<AccessTokenStore>();
        return services;
    }
}
