using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PhotoReceipt.Core.PhotoCenter;

namespace PhotoReceipt.Worker.PhotoCenter;

public static class PhotoCenterServiceCollectionExtensions
{
    /// <summary>The photo center chosen by PhotoCenter:Mode, with its options checked at start.</summary>
    public static IServiceCollection AddPhotoCenter(this IServiceCollection services)
    {
        services.AddOptions<PhotoCenterOptions>().BindConfiguration(PhotoCenterOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PhotoCenterOptions>, PhotoCenterOptionsValidator>();
        services.AddSingleton<IPhotoCenter>(sp => sp.GetRequiredService<IOptions<PhotoCenterOptions>>().Value.Mode switch
        {
            PhotoCenterOptions.HttpMode => ActivatorUtilities.CreateInstance<HttpPhotoCenter>(sp),
            PhotoCenterOptions.SimulatorMode => ActivatorUtilities.CreateInstance<SimulatorCenter>(sp),
            _ => new ReviewDeskCenter(),
        });
        return services;
    }
}
