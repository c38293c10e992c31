using PhotoReceipt.Core.Catalog;
using PhotoReceipt.Core.Photos;
using PhotoReceipt.Imaging.Pipeline;
using PhotoReceipt.Imaging.Vips;

namespace PhotoReceipt.Imaging.Tests;

/// <summary>One pipeline (model loaded once) and the portrait fixtures, shared by every test class.</summary>
public sealed class PipelineFixture : IDisposable
{
    public PipelineFixture()
    {
        Catalog = ProductCatalog.LoadEmbedded();
        Pipeline = new PhotoPipeline(new ImagingOptions { MaxParallelism = 2 }, Catalog);
        PortraitDir = FindPortraits();
        _phone = new Lazy<byte[]>(() => Variants.PhoneSized(Portrait("test3.jpg")));
    }

    public ProductCatalog Catalog { get; }
    public PhotoPipeline Pipeline { get; }
    public string PortraitDir { get; }
    private readonly Lazy<byte[]> _phone;

    /// <summary>test3 (white wall) enlarged onto a 3000×4000 phone-sized JPEG.</summary>
    public byte[] PhoneJpeg => _phone.Value;

    public byte[] Portrait(string name) => File.ReadAllBytes(Path.Combine(PortraitDir, name));

    public PhotoSpec Spec(string id) => Catalog.FindSpec(id) ?? throw new InvalidOperationException($"no spec {id}");

    public Task<PhotoResult> Run(byte[] source, string specId, RgbColour? background = null) =>
        Pipeline.StandardizeAsync(new PhotoRequest(source, Spec(specId), background), CancellationToken.None);

    /// <summary>Decodes a JPEG/PNG the way the pipeline does, into packed RGB.</summary>
    internal static RgbImage DecodeRgb(byte[] bytes)
    {
        using var decoded = PhotoDecoder.Decode(bytes, long.MaxValue, int.MaxValue);
        return new RgbImage(decoded.Master.Width, decoded.Master.Height, 3, decoded.Master.ToBytes());
    }

    private static string FindPortraits()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PhotoReceipt.sln"))) dir = dir.Parent;
        if (dir is null) throw new InvalidOperationException($"no PhotoReceipt.sln above {AppContext.BaseDirectory}");
        var portraits = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "fixtures", "portraits"));
        if (!Directory.Exists(portraits)) throw new InvalidOperationException($"portrait fixtures not found at {portraits}");
        return portraits;
    }

    public void Dispose() => Pipeline.Dispose();
}

[CollectionDefinition(Name)]
public sealed class PipelineCollection : ICollectionFixture<PipelineFixture>
{
    public const string Name = "pipeline";
}
