using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PhotoReceipt.Imaging;
using PhotoReceipt.WeChat;

namespace PhotoReceipt.Worker;

/// <summary>The real implementations behind the seams the job handlers use, chosen by configuration.</summary>
public static class WorkerSeams
{
    public static IServiceCollection Add(IServiceCollection services, IConfiguration configuration)
    {
        // The real WeChat client, or the sandbox when no AppId is configured.
        services.AddWeChat(configuration);
        // libvips and OpenCV with the learned models; only the process that runs jobs loads them.
        services.AddPhotoPipeline(configuration);
        return services;
    }
}
