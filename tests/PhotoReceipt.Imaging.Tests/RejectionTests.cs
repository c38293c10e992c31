using System.Globalization;
using PhotoReceipt.Core.Photos;
using PhotoReceipt.Imaging.Decoding;
using PhotoReceipt.Imaging.Geometry;

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
        Assert.Contains(c.Message, m => m >= '\u4e00' && m <= '\u9fff');
    }

    private static string[] Failures(PhotoResult r) => r.Report.Checks.Where(c => c.Status == CheckStatus.Fail).Select(c => c.Id).ToArray();

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
        Assert.True(Number(Rule(r, "lighting").Measured) > 55);
    }

    [Fact]
    public async Task Two_people_side_by_side_fail_single_face_with_the_count()
    {
        var r = await fx.Run(Variants.SideBySide(fx.Portrait("test3.jpg"), fx.Portrait("test0.jpg")), "cn-id-card");
        AssertFails(r, "single_face");
        Assert.Equal("2 张", Rule(r, "single_face").Measured);
        Assert.Equal("single_face", r.Report.Checks[0].Id);
    }

    [Fact]
    public async Task Photo_without_a_face_fails_single_face_and_nothing_else_is_claimed()
    {
        var r = await fx.Run(Variants.Cropped(fx.Portrait("test0.jpg"), 0.65, 1.0), "cn-id-card");
        AssertFails(r, "single_face");
        Assert.Null(r.Jpeg);
        Assert.Equal("0 张", Rule(r, "single_face").Measured);
        Assert.Single(r.Report.Checks);
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
        Assert.InRange(Number(Rule(r, "roll").Measured), 3, 13);
        var m = OutputMeasurement.Measure(r.Jpeg!, new(255, 255, 255), fx.Pipeline);
        Assert.InRange(Math.Abs(m.RollDeg), 0, 2);
    }

    [Fact]
    public async Task Head_cut_off_at_the_top_fails_head_top_and_still_reports_the_face()
    {
        // test3: the hair starts near 4 % of the height; start the crop inside the hair.
        var r = await fx.Run(Variants.Cropped(fx.Portrait("test3.jpg"), 0.1, 1.0), "cn-id-card");
        AssertFails(r, "head_top");
        Assert.Null(r.Jpeg);
        // No crop could be made, yet pose, eyes, mouth and the photo's quality were measured.
        foreach (var id in new[] { "single_face", "yaw", "roll", "eyes_open", "mouth_closed", "sharpness", "exposure", "lighting", "source_resolution" })
            Assert.Equal(CheckStatus.Pass, Rule(r, id).Status);
    }

    [Fact]
    public async Task Every_reason_is_reported_at_once_not_just_the_first()
    {
        // Head cut at the top, blurred and dark: three things to fix, all three named.
        var cut = Variants.Cropped(fx.Portrait("test3.jpg"), 0.1, 1.0);
        var r = await fx.Run(Variants.Darkened(Variants.Blurred(cut, 4), 0.25), "cn-id-card");
        Assert.Subset(Failures(r).ToHashSet(), new HashSet<string> { "head_top", "sharpness", "exposure" });
        Assert.All(r.Report.Checks.TakeWhile(c => c.Status == CheckStatus.Fail), c => Assert.Equal(CheckStatus.Fail, c.Status));
    }

    [Fact]
    public async Task Missing_shoulders_fail_instead_of_being_stretched()
    {
        var r = await fx.Run(Variants.Cropped(Variants.PhoneSized(fx.Portrait("test3.jpg")), 0.0, 0.5), "generic-2in");
        AssertFails(r, "shoulders");
        Assert.Null(r.Jpeg);
    }

    [Fact]
    public async Task A_thin_strip_missing_at_the_bottom_is_continued_and_warned_a_wider_one_refused()
    {
        // Cut test3 higher and higher above its bottom: first nothing is missing, then a strip is
        // made up (warned, still usable), then the shoulders are missing (refused).
        var statuses = new List<(double Bottom, CheckStatus Status, bool Usable, string? Measured)>();
        for (var bottom = 0.92; bottom >= 0.6; bottom -= 0.02)
        {
            var r = await fx.Run(Variants.Cropped(fx.Portrait("test3.jpg"), 0.0, bottom), "cn-id-card");
            var s = Rule(r, "shoulders");
            statuses.Add((bottom, s.Status, r.Report.Usable, s.Measured));
        }
        var trail = string.Join("; ", statuses.Select(s => $"{s.Bottom:0.00}: {s.Status} {s.Measured}"));
        var order = statuses.Select(s => s.Status).ToList();
        Assert.True(order.IndexOf(CheckStatus.Warn) > 0 && order.IndexOf(CheckStatus.Warn) < order.IndexOf(CheckStatus.Fail), trail);
        Assert.All(statuses.Where(s => s.Status == CheckStatus.Warn), s =>
        {
            Assert.True(s.Usable, trail);
            Assert.InRange(Number(s.Measured), 0, 4);
        });
        Assert.All(statuses.SkipWhile(s => s.Status != CheckStatus.Fail), s => Assert.Equal(CheckStatus.Fail, s.Status));
    }

    [Fact]
    public async Task Face_too_small_for_the_spec_fails_source_resolution()
    {
        var r = await fx.Run(Variants.Shrunk(fx.Portrait("test3.jpg"), 0.35), "cn-id-card");
        AssertFails(r, "source_resolution");
        Assert.InRange(Number(Rule(r, "source_resolution").Measured), 50, 90);
    }

    [Theory]
    [InlineData("test1.jpg")]
    [InlineData("test2.jpg")]
    public async Task Busy_background_is_replaced_not_refused(string file)
    {
        var r = await fx.Run(fx.Portrait(file), "generic-small-1in");
        Assert.True(r.Report.Usable, SpecOutputTests.Describe(r.Report));
        Assert.NotEqual(CheckStatus.Fail, Rule(r, "background").Status);
    }

    [Fact]
    public async Task Red_clothing_fails_for_the_driver_licence()
    {
        var r = await fx.Run(Variants.RedTinted(Variants.PhoneSized(fx.Portrait("test0.jpg"))), "cn-driver-license");
        AssertFails(r, "clothing_contrast");
        Assert.Contains("红色", Rule(r, "clothing_contrast").Measured);
    }

    [Fact]
    public async Task Clothing_is_judged_against_the_new_background_not_the_old_wall()
    {
        // A light T-shirt in front of a grey wall: against a white ID background its edge
        // disappears (warned, for the reviewer to judge); against blue it stands out.
        var photo = fx.Photo("plain_1_glasses_greywall.jpg");
        var onWhite = await fx.Run(photo, "generic-1in", fx.Catalog.ResolveBackground("white"));
        var onBlue = await fx.Run(photo, "generic-1in", fx.Catalog.ResolveBackground("blue"));
        Assert.Equal(CheckStatus.Warn, Rule(onWhite, "clothing_contrast").Status);
        Assert.True(onWhite.Report.Usable);
        Assert.Equal(CheckStatus.Pass, Rule(onBlue, "clothing_contrast").Status);
        Assert.True(Number(Rule(onWhite, "clothing_contrast").Measured) < Number(Rule(onBlue, "clothing_contrast").Measured));
    }

    [Fact]
    public async Task Dark_lenses_over_the_eyes_fail_glasses()
    {
        var source = fx.Portrait("test3.jpg");
        var r = await fx.Run(Variants.Sunglasses(source, EyeBoxes(source)), "generic-1in");
        AssertFails(r, "glasses");
        var plain = await fx.Run(source, "generic-1in");
        Assert.Equal(CheckStatus.Pass, Rule(plain, "glasses").Status);
    }

    /// <summary>Boxes a little larger than each eye opening, from the mesh on the source photo.</summary>
    private IEnumerable<(int X, int Y, int Width, int Height)> EyeBoxes(byte[] photo)
    {
        using var decoded = PhotoDecoder.Decode(photo, long.MaxValue, int.MaxValue);
        var models = fx.Pipeline.Models.Rent();
        try
        {
            var mesh = models.Mesh.Run(decoded.Rgb, models.FarFaces.Detect(decoded.Rgb)[0]);
            return new[] { FaceMesh.RightEyeContour, FaceMesh.LeftEyeContour }.Select(contour =>
            {
                var (x0, y0, x1, y1) = mesh.Bounds(contour);
                var pad = (x1 - x0) * 0.35;
                return ((int)(x0 - pad), (int)(y0 - 1.2 * pad), (int)(x1 - x0 + 2 * pad), (int)(y1 - y0 + 2.4 * pad));
            }).ToList();
        }
        finally
        {
            fx.Pipeline.Models.Return(models);
        }
    }
}
