using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PhotoReceipt.Core.Catalog;
using PhotoReceipt.Core.Photos;

namespace PhotoReceipt.Imaging;

public static class ImagingServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IPhotoPipeline"/> with options from the "Imaging" section, validated
    /// on start; a missing or altered model stops the host, not the first order.
    /// </summary>
    public static IServiceCollection AddPhotoPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ImagingOptions>()
            .Bind(configuration.GetSection(ImagingOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ImagingOptions>, ImagingOptionsValidator>());
        services.TryAddSingleton(_ => ProductCatalog.LoadEmbedded());
        services.TryAddSingleton(sp => new PhotoPipeline(sp.GetRequiredService<IOptions<ImagingOptions>>().Value, sp.GetRequiredService<ProductCatalog>(),
            sp.GetService<Microsoft.Extensions.Logging.ILogger<PhotoPipeline>>()));
        services.TryAddSingleton<IPhotoPipeline>(sp => sp.GetRequiredService<PhotoPipeline>());
        return services;
    }
}

internal sealed class ImagingOptionsValidator : IValidateOptions<ImagingOptions>
{
    public ValidateOptionsResult Validate(string? name, ImagingOptions options)
    {
        var problems = options.Validate().ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
