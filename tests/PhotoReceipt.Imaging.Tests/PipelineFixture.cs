using PhotoReceipt.Core.Catalog;
using PhotoReceipt.Core.Photos;
using PhotoReceipt.Testing;

namespace PhotoReceipt.Imaging.Tests;

/// <summary>One pipeline (models loaded once) and the portrait fixtures, shared by every test class.</summary>
public sealed class PipelineFixture : IDisposable
{
    public PipelineFixture()
    {
        Catalog = ProductCatalog.LoadEmbedded();
        Pipeline = new PhotoPipeline(new ImagingOptions { MaxParallelism = 2 }, Catalog);
        PortraitDir = RepoPaths.Shared("fixtures", "portraits");
        DevDir = RepoPaths.Shared("fixtures", "portraits-dev");
        _phone = new Lazy<byte[]>(() => Variants.PhoneSized(Portrait("test3.jpg")));
    }

    public ProductCatalog Catalog { get; }
    public PhotoPipeline Pipeline { get; }
    public string PortraitDir { get; }
    public string DevDir { get; }
    private readonly Lazy<byte[]> _phone;

    /// <summary>test3 (white wall) enlarged onto a 3000×4000 phone-sized JPEG.</summary>
    public byte[] PhoneJpeg => _phone.Value;

    public byte[] Portrait(string name) => File.ReadAllBytes(Path.Combine(PortraitDir, name));

    /// <summary>A photo of the fixtures (test*.jpg) or of the development set (everything else).</summary>
    public byte[] Photo(string name) => File.ReadAllBytes(Path.Combine(name.StartsWith("test", StringComparison.Ordinal) ? PortraitDir : DevDir, name));

    public PhotoSpec Spec(string id) => Catalog.FindSpec(id) ?? throw new InvalidOperationException($"no spec {id}");

    public RgbColour Background(string specId) => Catalog.ResolveBackground(Spec(specId).Backgrounds[0])!.Value;

    public Task<PhotoResult> Run(byte[] source, string specId, RgbColour? background = null) =>
        Pipeline.StandardizeAsync(new PhotoRequest(source, Spec(specId), background), CancellationToken.None);

    public void Dispose() => Pipeline.Dispose();
}

[CollectionDefinition(Name)]
public sealed class PipelineCollection : ICollectionFixture<PipelineFixture>
{
    public const string Name = "pipeline";
}
