using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PhotoReceipt.Core.Photos;

namespace PhotoReceipt.Imaging.Tests;

public sealed class ServiceRegistrationTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddPhotoPipeline(config).BuildServiceProvider();
    }

    [Fact]
    public void Options_are_bound_from_the_Imaging_section_with_defaults()
    {
        using var sp = Build(new() { ["Imaging:MaxSourcePixels"] = "20000000", ["Imaging:MaxParallelism"] = "3" });
        var o = sp.GetRequiredService<IOptions<ImagingOptions>>().Value;
        Assert.Equal(20_000_000, o.MaxSourcePixels);
        Assert.Equal(3, o.MaxParallelism);
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "models"), o.ModelDirectory);
        Assert.Equal(Environment.ProcessorCount, new ImagingOptions().MaxParallelism);
    }

    [Fact]
    public void Invalid_options_stop_start_up_naming_them()
    {
        using var sp = Build(new() { ["Imaging:ModelDirectory"] = " ", ["Imaging:MaxParallelism"] = "0" });
        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("ModelDirectory", ex.Message);
        Assert.Contains("MaxParallelism", ex.Message);
    }

    [Fact]
    public void The_pipeline_resolves_as_one_singleton()
    {
        using var sp = Build([]);
        sp.GetRequiredService<IStartupValidator>().Validate();
        var a = sp.GetRequiredService<IPhotoPipeline>();
        Assert.Same(a, sp.GetRequiredService<IPhotoPipeline>());
        Assert.IsType<PhotoPipeline>(a);
    }
}
