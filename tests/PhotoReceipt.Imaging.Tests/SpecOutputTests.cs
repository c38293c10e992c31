using PhotoReceipt.Core.Catalog;
using PhotoReceipt.Core.Photos;
using PhotoReceipt.Imaging.Encoding;
using PhotoReceipt.Imaging.Framing;
using PhotoReceipt.Testing;

namespace PhotoReceipt.Imaging.Tests;

[Collection(PipelineCollection.Name)]
public sealed class SpecOutputTests(PipelineFixture fx)
{
    /// <summary>The photos the issue names: two plain walls, a street, an office selfie and an office window.</summary>
    private static readonly string[] Photos = ["test3.jpg", "test4.jpg", "test1.jpg", "clutter_1_selfie_office_phone.jpg", "clutter_9_office_window.jpg"];

    /// <summary>
    /// Hair piled above the head against the spec's proportions: head height (chin to the top of
    /// the hair) over head width is 1.73 for clutter_1 (a tuft) and about 1.9 for test4 (a bun);
    /// the driving licence's windows (165–189 px wide, 224–260 px tall) allow at most 1.58 and the
    /// exit-entry documents' (230–283 × 331–390) at most 1.70. No framing holds these, so the
    /// pipeline says so instead (test4 for the driving licence, 1.6 against 1.58, sits on the limit).
    /// </summary>
    private static readonly Dictionary<(string, string), string> Impossible = new()
    {
        [("test4.jpg", "cn-exit-entry")] = "head_top",
        [("clutter_1_selfie_office_phone.jpg", "cn-exit-entry")] = "head_height",
        [("clutter_1_selfie_office_phone.jpg", "cn-driver-license")] = "head_height",
        [("test4.jpg", "cn-driver-license")] = "head_height",
    };

    public static TheoryData<string, string> PhotoSpecs()
    {
        var data = new TheoryData<string, string>();
        foreach (var photo in Photos)
            foreach (var s in ProductCatalog.LoadEmbedded().Specs) data.Add(photo, s.Id);
        return data;
    }

    [Theory]
    [MemberData(nameof(PhotoSpecs))]
    public async Task Photo_becomes_a_file_inside_every_window_of_the_spec(string photo, string specId)
    {
        var spec = fx.Spec(specId);
        var result = await fx.Run(fx.Photo(photo), specId);
        if (Impossible.TryGetValue((photo, specId), out var reason) && !result.Report.Usable)
        {
            // Refused, and for the reason the proportions give (near the limit a photo may still
            // land inside every window; then it is checked like any other below).
            Assert.Contains(result.Report.Checks, c => c.Id == reason && c.Status == CheckStatus.Fail);
            return;
        }
        Assert.True(result.Report.Usable, $"{photo} for {specId}: {Describe(result.Report)}");
        var jpeg = Assert.IsType<byte[]>(result.Jpeg);
        AssertFile(jpeg, spec);
        OutputDump.Write($"spec-{specId}-{photo}", jpeg);
        AssertInsideWindows(jpeg, spec, fx.Background(specId));

        // The report states what it measured, with units, for every rule it judged.
        Assert.All(new[] { "single_face", "face_width", "head_height", "head_top", "eye_line", "centring", "roll", "yaw", "pitch", "eyes_open",
                "mouth_closed", "glasses", "headwear", "hair_over_eyes", "sharpness", "exposure", "lighting", "background", "clothing_contrast",
                "source_resolution", "shoulders", "file" },
            id => Assert.Contains(result.Report.Checks, c => c.Id == id && !string.IsNullOrWhiteSpace(c.Message)));
        Assert.EndsWith(" px", result.Report.Checks.Single(c => c.Id == "face_width").Measured);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, result.Preview![..4]);
    }

    /// <summary>Measured again on the file: one face, its width, the head height, head top, eye line and centring
    /// inside the spec's windows, the eyes level, and the spec colour in the top corners. The widths
    /// are read from the file's colours here and from the matte in the pipeline (glasses' arms and
    /// hair beside the ears fall differently), so those two get a margin of 3 %.</summary>
    internal void AssertInsideWindows(byte[] jpeg, PhotoSpec spec, RgbColour bg)
    {
        var m = OutputMeasurement.Measure(jpeg, bg, fx.Pipeline);
        var w = SpecWindows.For(spec);
        Assert.Equal(1, m.Faces);
        // The widths come from the mesh run again on the small output: ±2 % of the cheek width
        // between the two runs, which the ear-to-ear clamp carries into the head width.
        if (w.FaceWidth is { } fw) Assert.InRange(m.FaceWidth, fw.Min * 0.97, fw.Max * 1.03);
        if (w.HeadHeight is { } hh) Assert.InRange(m.HeadHeight, hh.Min - 4, hh.Max + 4);
        Assert.InRange(m.HeadTop, w.HeadTop.Min, w.HeadTop.Max);
        Assert.InRange(m.EyeY, w.EyeFromTop.Min, w.EyeFromTop.Max);
        Assert.InRange(m.EyeX, w.EyeCenterX.Min, w.EyeCenterX.Max);
        Assert.InRange(Math.Abs(m.RollDeg), 0, 2);
        var rgb = RgbImage.Decode(jpeg);
        foreach (var (x, y) in new[] { (3, 3), (spec.WidthPx - 4, 3) })
        {
            var (r, g, b) = rgb[x, y];
            Assert.InRange(r, bg.R - 6, bg.R + 6);
            Assert.InRange(g, bg.G - 6, bg.G + 6);
            Assert.InRange(b, bg.B - 6, bg.B + 6);
        }
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
        var (r, g, b) = RgbImage.Decode(result.Jpeg!)[5, 5];
        Assert.InRange(r, bg.R - 6, bg.R + 6);
        Assert.InRange(g, bg.G - 6, bg.G + 6);
        Assert.InRange(b, bg.B - 6, bg.B + 6);
    }

    [Fact]
    public async Task Phone_sized_photo_is_framed_inside_the_windows()
    {
        var result = await fx.Run(fx.PhoneJpeg, "cn-id-card");
        Assert.True(result.Report.Usable, Describe(result.Report));
        AssertInsideWindows(result.Jpeg!, fx.Spec("cn-id-card"), fx.Background("cn-id-card"));
    }

    [Fact]
    public async Task Landscape_4000x3000_phone_photo_is_framed_like_the_portrait()
    {
        var landscape = Variants.Landscape4000x3000(fx.Portrait("test3.jpg"));
        var result = await fx.Run(landscape, "cn-exit-entry");
        Assert.True(result.Report.Usable, Describe(result.Report));
        AssertInsideWindows(result.Jpeg!, fx.Spec("cn-exit-entry"), fx.Background("cn-exit-entry"));
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
