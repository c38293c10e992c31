using PhotoReceipt.Core.Catalog;

namespace PhotoReceipt.Imaging.Tests;

public sealed class ModelFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("photoreceipt-models-").FullName;

    public ModelFileTests()
    {
        foreach (var f in Directory.GetFiles(new ImagingOptions().ModelDirectory)) File.Copy(f, Path.Combine(_dir, Path.GetFileName(f)));
    }

    private ImagingException Start() =>
        Assert.Throws<ImagingException>(() => new PhotoPipeline(new ImagingOptions { ModelDirectory = _dir, MaxParallelism = 1 }, ProductCatalog.LoadEmbedded()));

    [Fact]
    public void The_copied_models_start_a_pipeline()
    {
        using var pipeline = new PhotoPipeline(new ImagingOptions { ModelDirectory = _dir, MaxParallelism = 1 }, ProductCatalog.LoadEmbedded());
        Assert.NotNull(pipeline);
    }

    [Theory]
    [InlineData("face_landmark.tflite")]
    [InlineData("selfie_segmentation.tflite")]
    public void A_missing_model_stops_start_up_naming_the_file_and_the_command(string file)
    {
        File.Delete(Path.Combine(_dir, file));
        var e = Start();
        Assert.Contains(file, e.Message);
        Assert.Contains("./build.sh models", e.Message);
    }

    [Fact]
    public void An_altered_model_stops_start_up()
    {
        var path = Path.Combine(_dir, "face_detection_full_range.tflite");
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x5A;
        File.WriteAllBytes(path, bytes);
        var e = Start();
        Assert.Contains("face_detection_full_range.tflite", e.Message);
        Assert.Contains("sha256", e.Message);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
