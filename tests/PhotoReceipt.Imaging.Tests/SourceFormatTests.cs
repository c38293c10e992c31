using PhotoReceipt.Testing;

namespace PhotoReceipt.Imaging.Tests;

[Collection(PipelineCollection.Name)]
public sealed class SourceFormatTests(PipelineFixture fx)
{
    private RgbImage? _upright;

    private async Task<RgbImage> Upright()
    {
        if (_upright is not null) return _upright;
        var r = await fx.Run(fx.Portrait("test3.jpg"), "cn-id-card");
        Assert.True(r.Report.Usable, SpecOutputTests.Describe(r.Report));
        return _upright = RgbImage.Decode(r.Jpeg!);
    }

    [Fact]
    public async Task Every_exif_orientation_gives_the_same_photo_as_the_upright_original()
    {
        var upright = await Upright();
        for (var o = 1; o <= 8; o++)
        {
            var variant = Variants.WithExifOrientation(fx.Portrait("test3.jpg"), o);
            var r = await fx.Run(variant, "cn-id-card");
            Assert.True(r.Report.Usable, $"orientation {o}: {SpecOutputTests.Describe(r.Report)}");
            var diff = RgbImage.MeanAbsDiff(upright, RgbImage.Decode(r.Jpeg!));
            Assert.True(diff < 8, $"orientation {o}: mean difference {diff:0.0} from the upright result");
        }
    }

    [Fact]
    public void Decoding_turns_each_exif_orientation_upright_as_libvips_autorot_does()
    {
        // A small, asymmetric picture: every flip or turn of it differs.
        using var small = NetVips.Image.NewFromBuffer(fx.Portrait("test3.jpg")).ThumbnailImage(120, height: 90, crop: NetVips.Enums.Interesting.None);
        var original = (byte[])NetVips.Operation.Call("jpegsave_buffer", new NetVips.VOption { { "Q", 95 } }, small);
        for (var o = 1; o <= 8; o++)
        {
            var tagged = Variants.WithExifOrientation(original, o);
            using var decoded = Decoding.PhotoDecoder.Decode(tagged, long.MaxValue, int.MaxValue);
            using var expected = NetVips.Image.NewFromBuffer(tagged).Autorot();
            using var reference = Decoding.VipsMats.ToRgbMat(expected);
            Assert.True(decoded.Rgb.Size() == reference.Size(), $"orientation {o}: {decoded.Rgb.Size()} vs {reference.Size()}");
            Assert.Equal(0, OpenCvSharp.Cv2.Norm(decoded.Rgb, reference, OpenCvSharp.NormTypes.INF));
        }
    }

    [Fact]
    public async Task Progressive_jpeg_is_decoded()
    {
        var r = await fx.Run(Variants.Progressive(fx.Portrait("test3.jpg")), "cn-id-card");
        Assert.True(r.Report.Usable, SpecOutputTests.Describe(r.Report));
        Assert.True(RgbImage.MeanAbsDiff(await Upright(), RgbImage.Decode(r.Jpeg!)) < 8);
    }

    [Fact]
    public async Task Cmyk_jpeg_is_converted_to_srgb()
    {
        var r = await fx.Run(Variants.Cmyk(fx.Portrait("test3.jpg")), "cn-id-card");
        Assert.True(r.Report.Usable, SpecOutputTests.Describe(r.Report));
        Assert.True(RgbImage.MeanAbsDiff(await Upright(), RgbImage.Decode(r.Jpeg!)) < 15);
    }

    [Fact]
    public async Task Webp_named_jpg_is_recognised_by_content()
    {
        var r = await fx.Run(Variants.WebP(fx.Portrait("test3.jpg")), "cn-id-card");
        Assert.True(r.Report.Usable, SpecOutputTests.Describe(r.Report));
        var real = await fx.Run(fx.Portrait("test1.jpg"), "generic-2in");
        Assert.NotNull(real.Jpeg);
        Assert.Contains(real.Report.Checks, c => c.Id == "single_face" && c.Status == Core.Photos.CheckStatus.Pass);
    }

    [Fact]
    public async Task Heic_from_an_iphone_is_decoded()
    {
        var heic = Variants.Heic(fx.Portrait("test3.jpg"));
        Assert.Equal("ftyp", System.Text.Encoding.ASCII.GetString(heic, 4, 4));
        var r = await fx.Run(heic, "cn-id-card");
        Assert.True(r.Report.Usable, SpecOutputTests.Describe(r.Report));
        Assert.True(RgbImage.MeanAbsDiff(await Upright(), RgbImage.Decode(r.Jpeg!)) < 10);
    }

    [Fact]
    public async Task Greyscale_jpeg_becomes_a_24_bit_photo()
    {
        var r = await fx.Run(Variants.Greyscale(fx.Portrait("test3.jpg")), "cn-id-card");
        Assert.True(r.Report.Usable, SpecOutputTests.Describe(r.Report));
        Assert.Equal(3, PhotoReceipt.Core.Photos.JpegInfo.Read(r.Jpeg!)!.Components);
    }

    [Fact]
    public async Task Rgba_png_named_jpg_is_decoded_and_flattened()
    {
        var r = await fx.Run(fx.Portrait("test2.jpg"), "generic-small-1in");
        Assert.NotNull(r.Jpeg);
        Assert.Contains(r.Report.Checks, c => c.Id == "single_face" && c.Status == Core.Photos.CheckStatus.Pass);
    }

    [Fact]
    public void Transparent_pixels_are_flattened_onto_white_not_black()
    {
        var rgb = RgbImage.Decode(Variants.TransparentPng(fx.Portrait("test3.jpg")));
        Assert.Equal(255.0, rgb.Pixels.Average(b => (double)b), 1);
    }
}
