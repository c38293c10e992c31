using PhotoReceipt.Core.Catalog;
using PhotoReceipt.Core.Photos;
using PhotoReceipt.Imaging.Encoding;
using PhotoReceipt.Imaging.Pipeline;

namespace PhotoReceipt.Imaging.Tests;

[Collection(PipelineCollection.Name)]
public sealed class SpecOutputTests(PipelineFixture fx)
{
    public static TheoryData<string> SpecIds()
    {
        var data = new TheoryData<string>();
        foreach (var s in ProductCatalog.LoadEmbedded().Specs) data.Add(s.Id);
        return data;
    }

    [Theory]
    [MemberData(nameof(SpecIds))]
    public async Task Phone_photo_becomes_a_file_inside_every_window_of_the_spec(string specId)
    {
        var spec = fx.Spec(specId);
        var result = await fx.Run(fx.PhoneJpeg, specId);
        Assert.True(result.Report.Usable, Describe(result.Report));
        var jpeg = Assert.IsType<byte[]>(result.Jpeg);
        AssertFile(jpeg, spec);
        OutputDump.Write($"{specId}.jpg", jpeg);
        OutputDump.Write($"{specId}-preview.png", result.Preview!);

        var bg = fx.Catalog.ResolveBackground(spec.Backgrounds[0])!.Value;
        var m = OutputMeasurement.Measure(jpeg, bg, fx.Pipeline.Detectors);
        var w = SpecWindows.For(spec);
        Assert.Equal(1, m.Faces);
        if (w.FaceWidth is { } fw) Assert.InRange(m.FaceWidth, fw.Min, fw.Max);
        if (w.HeadHeight is { } hh) Assert.InRange(m.HeadHeight, hh.Min, hh.Max);
        Assert.InRange(m.HeadTop, w.HeadTop.Min, w.HeadTop.Max);
        Assert.InRange(m.EyeY, w.EyeFromTop.Min, w.EyeFromTop.Max);
        Assert.InRange(m.EyeX, w.EyeCenterX.Min, w.EyeCenterX.Max);
        Assert.InRange(Math.Abs(m.RollDeg), 0, 2);

        // The wall is gone: the top corners are the spec colour.
        var rgb = PipelineFixture.DecodeRgb(jpeg);
        foreach (var (x, y) in new[] { (3, 3), (spec.WidthPx - 4, 3) })
        {
            var i = (y * rgb.Width + x) * 3;
            Assert.InRange(rgb.Pixels[i], bg.R - 6, bg.R + 6);
            Assert.InRange(rgb.Pixels[i + 1], bg.G - 6, bg.G + 6);
            Assert.InRange(rgb.Pixels[i + 2], bg.B - 6, bg.B + 6);
        }

        // The report states the geometry it measured, with units, for every rule.
        Assert.All(new[] { "single_face", "face_width", "head_height", "head_top", "eye_line", "centring", "roll", "yaw", "eyes_open",
                "mouth_closed", "sharpness", "exposure", "lighting", "background_uniformity", "clothing_contrast", "source_resolution", "file" },
            id => Assert.Contains(result.Report.Checks, c => c.Id == id && !string.IsNullOrWhiteSpace(c.Message)));
        Assert.EndsWith(" px", result.Report.Checks.Single(c => c.Id == "face_width").Measured);
        Assert.NotNull(result.Preview);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, result.Preview![..4]);
    }

    [Theory]
    [InlineData("generic-1in", "blue")]
    [InlineData("generic-2in", "#336699")]
    [InlineData("cn-exit-entry", "light-blue")]
    public async Task User_chosen_background_colour_replaces_the_wall(string specId, string colour)
    {
        var bg = fx.Catalog.ResolveBackground(colour)!.Value;
        var result = await fx.Run(fx.PhoneJpeg, specId, bg);
        Assert.True(result.Report.Usable, Describe(result.Report));
        var rgb = PipelineFixture.DecodeRgb(result.Jpeg!);
        var i = (5 * rgb.Width + 5) * 3;
        Assert.InRange(rgb.Pixels[i], bg.R - 6, bg.R + 6);
        Assert.InRange(rgb.Pixels[i + 1], bg.G - 6, bg.G + 6);
        Assert.InRange(rgb.Pixels[i + 2], bg.B - 6, bg.B + 6);
    }

    [Theory]
    [InlineData("test0.jpg", "generic-small-1in")]
    [InlineData("test3.jpg", "cn-id-card")]
    [InlineData("test4.jpg", "generic-2in")]
    public async Task Real_portraits_on_plain_walls_pass_without_enlargement(string file, string specId)
    {
        var spec = fx.Spec(specId);
        var result = await fx.Run(fx.Portrait(file), specId);
        Assert.True(result.Report.Usable, Describe(result.Report));
        AssertFile(result.Jpeg!, spec);
        Assert.Equal(CheckStatus.Pass, result.Report.Checks.Single(c => c.Id == "background_uniformity").Status);
    }

    [Fact]
    public async Task Landscape_4000x3000_phone_photo_is_framed_like_the_portrait()
    {
        var landscape = Variants.Landscape4000x3000(fx.Portrait("test0.jpg"));
        var result = await fx.Run(landscape, "cn-exit-entry");
        Assert.True(result.Report.Usable, Describe(result.Report));
        var m = OutputMeasurement.Measure(result.Jpeg!, new RgbColour(255, 255, 255), fx.Pipeline.Detectors);
        var w = SpecWindows.For(fx.Spec("cn-exit-entry"));
        Assert.InRange(m.HeadTop, w.HeadTop.Min, w.HeadTop.Max);
        Assert.InRange(m.FaceWidth, w.FaceWidth!.Value.Min, w.FaceWidth.Value.Max);
    }

    internal static void AssertFile(byte[] jpeg, PhotoSpec spec)
    {
        var info = JpegInfo.Read(jpeg);
        Assert.NotNull(info);
        Assert.Equal(spec.WidthPx, info.Width);
        Assert.Equal(spec.HeightPx, info.Height);
        Assert.Equal(3, info.Components);
        Assert.True(info.Baseline);
        Assert.Equal(spec.Dpi, info.DpiX);
        Assert.Equal(spec.Dpi, info.DpiY);
        if (spec.MinKb is { } lo && spec.MaxKb is { } hi) Assert.InRange(jpeg.Length, lo * 1024, hi * 1024);
    }

    internal static string Describe(CheckReport report) =>
        string.Join("; ", report.Checks.Where(c => c.Status != CheckStatus.Pass).Select(c => $"{c.Id} {c.Status} {c.Measured} (allowed {c.Allowed})"));
}
