using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PhotoReceipt.Core.WeChat;
using PhotoReceipt.WeChat.Sandbox;

namespace PhotoReceipt.Worker;

/// <summary>The real implementations behind the seams the job handlers use, chosen by configuration.</summary>
public static class WorkerSeams
{
    public static IServiceCollection Add(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IWeChatApi, SandboxWeChatApi>();
        services.AddSingleton<IWeChatPay, SandboxWeChatPay>();
        return services;
    }
}
