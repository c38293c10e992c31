using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PhotoReceipt.Core.PhotoCenter;

namespace PhotoReceipt.Worker.PhotoCenter;

public static class PhotoCenterServiceCollectionExtensions
{
    /// <summary>The photo center chosen by PhotoCenter:Mode (the options are Data's: the API reads them too).</summary>
    public static IServiceCollection AddPhotoCenter(this IServiceCollection services)
    {
        HttpPhotoCenter.Configure(services);
        services.AddSingleton<IPhotoCenter>(sp => sp.GetRequiredService<IOptions<PhotoCenterOptions>>().Value.Mode switch
        {
            PhotoCenterOptions.HttpMode => ActivatorUtilities.CreateInstance<HttpPhotoCenter>(sp),
            PhotoCenterOptions.SimulatorMode => ActivatorUtilities.CreateInstance<SimulatorCenter>(sp),
            _ => new ReviewDeskCenter(),
        });
        return services;
    }
}
