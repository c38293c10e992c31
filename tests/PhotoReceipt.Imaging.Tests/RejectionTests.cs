using System.Globalization;
using PhotoReceipt.Core.Photos;

namespace PhotoReceipt.Imaging.Tests;

[Collection(PipelineCollection.Name)]
public sealed class RejectionTests(PipelineFixture fx)
{
    private static Check Rule(PhotoResult r, string id) => Assert.Single(r.Report.Checks, c => c.Id == id);

    private static double Number(string? measured)
    {
        Assert.NotNull(measured);
        var digits = new string(measured.SkipWhile(c => !char.IsAsciiDigit(c)).TakeWhile(c => char.IsAsciiDigit(c) || c == '.').ToArray());
        return double.Parse(digits, CultureInfo.InvariantCulture);
    }

    private static void AssertFails(PhotoResult r, string id)
    {
        Assert.False(r.Report.Usable);
        var c = Rule(r, id);
        Assert.Equal(CheckStatus.Fail, c.Status);
        Assert.False(string.IsNullOrWhiteSpace(c.Message));
        Assert.Contains(c.Message, m => m >= '\u4e00' && m <= '\u9fff');
    }

    [Fact]
    public async Task Blurred_photo_fails_sharpness()
    {
        var sharp = await fx.Run(fx.Portrait("test3.jpg"), "generic-1in");
        var blurred = await fx.Run(Variants.Blurred(fx.Portrait("test3.jpg"), 4), "generic-1in");
        AssertFails(blurred, "sharpness");
        Assert.Equal(CheckStatus.Pass, Rule(sharp, "sharpness").Status);
        Assert.True(Number(Rule(blurred, "sharpness").Measured) < Number(Rule(sharp, "sharpness").Measured) / 4);
    }

    [Fact]
    public async Task Darkened_photo_fails_exposure()
    {
        var dark = await fx.Run(Variants.Darkened(fx.Portrait("test3.jpg"), 0.25), "generic-1in");
        AssertFails(dark, "exposure");
        Assert.InRange(Number(Rule(dark, "exposure").Measured), 0, 55);
    }

    [Fact]
    public async Task Light_from_one_side_fails_lighting()
    {
        var r = await fx.Run(Variants.OneSidedLight(fx.Portrait("test3.jpg")), "generic-1in");
        AssertFails(r, "lighting");
        Assert.True(Number(Rule(r, "lighting").Measured) > 50);
    }

    [Fact]
    public async Task Two_people_side_by_side_fail_single_face_with_the_count()
    {
        var r = await fx.Run(Variants.SideBySide(fx.Portrait("test3.jpg"), fx.Portrait("test0.jpg")), "cn-id-card");
        AssertFails(r, "single_face");
        Assert.Null(r.Jpeg);
        Assert.Equal("2 张", Rule(r, "single_face").Measured);
    }

    [Fact]
    public async Task Photo_without_a_face_fails_single_face()
    {
        var r = await fx.Run(Variants.Cropped(fx.Portrait("test0.jpg"), 0.65, 1.0), "cn-id-card");
        AssertFails(r, "single_face");
        Assert.Null(r.Jpeg);
        Assert.Equal("0 张", Rule(r, "single_face").Measured);
    }

    [Fact]
    public async Task Heavy_roll_fails_roll_with_the_angle()
    {
        var r = await fx.Run(Variants.Rotated(fx.Portrait("test3.jpg"), 25), "cn-id-card");
        AssertFails(r, "roll");
        Assert.InRange(Number(Rule(r, "roll").Measured), 18, 32);
    }

    [Fact]
    public async Task Small_roll_is_levelled_on_the_output()
    {
        var r = await fx.Run(Variants.Rotated(Variants.PhoneSized(fx.Portrait("test3.jpg")), 6), "generic-1in");
        Assert.True(r.Report.Usable, SpecOutputTests.Describe(r.Report));
        Assert.InRange(Number(Rule(r, "roll").Measured), 3, 10);
        var m = OutputMeasurement.Measure(r.Jpeg!, new(255, 255, 255), fx.Pipeline.Detectors);
        Assert.InRange(Math.Abs(m.RollDeg), 0, 2);
    }

    [Fact]
    public async Task Head_cut_off_at_the_top_fails_head_top()
    {
        // test3: the hair starts near 4 % of the height; start the crop well inside the head.
        var r = await fx.Run(Variants.Cropped(fx.Portrait("test3.jpg"), 0.14, 1.0), "cn-id-card");
        AssertFails(r, "head_top");
        Assert.Null(r.Jpeg);
    }

    [Fact]
    public async Task Missing_shoulders_fail_instead_of_being_stretched()
    {
        var r = await fx.Run(Variants.Cropped(Variants.PhoneSized(fx.Portrait("test3.jpg")), 0.0, 0.58), "generic-2in");
        AssertFails(r, "shoulders");
        Assert.Null(r.Jpeg);
    }

    [Fact]
    public async Task Face_too_small_for_the_spec_fails_source_resolution()
    {
        var r = await fx.Run(Variants.Shrunk(fx.Portrait("test3.jpg"), 0.45), "cn-id-card");
        AssertFails(r, "source_resolution");
        Assert.Null(r.Jpeg);
        Assert.InRange(Number(Rule(r, "source_resolution").Measured), 60, 120);
    }

    [Theory]
    [InlineData("test1.jpg")]
    [InlineData("test2.jpg")]
    public async Task Busy_background_asks_for_a_plain_wall(string file)
    {
        var r = await fx.Run(fx.Portrait(file), "generic-small-1in");
        AssertFails(r, "background_uniformity");
        Assert.True(Number(Rule(r, "background_uniformity").Measured) > 6);
    }

    [Fact]
    public async Task Red_clothing_fails_for_the_driver_licence()
    {
        // Swap the red and blue channels of the dark-suited portrait's clothes region: simplest is
        // a red-tinted copy of the whole photo, which turns the dark jacket and shirt reddish.
        var r = await fx.Run(Variants.RedTinted(Variants.PhoneSized(fx.Portrait("test0.jpg"))), "cn-driver-license");
        AssertFails(r, "clothing_contrast");
        Assert.Contains("红色", Rule(r, "clothing_contrast").Measured);
    }
}
