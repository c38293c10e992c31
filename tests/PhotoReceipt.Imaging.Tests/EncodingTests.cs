using NetVips;
using OpenCvSharp;
using PhotoReceipt.Core.Photos;
using PhotoReceipt.Imaging.Decoding;
using PhotoReceipt.Imaging.Encoding;

namespace PhotoReceipt.Imaging.Tests;

[Collection(PipelineCollection.Name)]
public sealed class EncodingTests(PipelineFixture fx)
{
    private Image PhotoImage(int width, int height)
    {
        using var portrait = Image.NewFromBuffer(fx.Portrait("test3.jpg"));
        using var resized = portrait.Resize((double)width / portrait.Width, vscale: (double)height / portrait.Height);
        return resized.CopyMemory();
    }

    private Mat Photo(int width, int height)
    {
        using var image = PhotoImage(width, height);
        return VipsMats.ToRgbMat(image);
    }

    [Theory]
    [InlineData(14, 20)]
    [InlineData(14, 40)]
    [InlineData(20, 80)]
    [InlineData(30, 45)]
    public void Quality_search_lands_inside_the_kb_window_without_padding(int minKb, int maxKb)
    {
        using var img = Photo(354, 472);
        var jpeg = SizeWindowJpegEncoder.Encode(img, 300, minKb, maxKb);
        Assert.True(jpeg.InWindow);
        Assert.InRange(jpeg.Bytes.Length, minKb * 1024, maxKb * 1024);
        // The file ends with the EOI marker: nothing appended to reach the minimum.
        Assert.Equal(new byte[] { 0xFF, 0xD9 }, jpeg.Bytes[^2..]);
        var info = JpegInfo.Read(jpeg.Bytes)!;
        Assert.Equal((354, 472, 300, true), (info.Width, info.Height, info.DpiX, info.Baseline));
        // Chroma at full resolution (each component sampled 1×1), and the pixels are the source's.
        Assert.Equal([0x11, 0x11, 0x11], SamplingFactors(jpeg.Bytes));
        using var decoded = VipsMats.ToRgbMat(Image.NewFromBuffer(jpeg.Bytes));
        Assert.InRange(Cv2.Norm(decoded, img, NormTypes.L1) / (3.0 * img.Total()), 0, 3);
    }

    [Fact]
    public void Channels_stay_in_rgb_order()
    {
        using var red = new Mat(64, 64, MatType.CV_8UC3, new Scalar(220, 30, 40));
        var jpeg = SizeWindowJpegEncoder.Encode(red, 300, null, null);
        using var decoded = VipsMats.ToRgbMat(Image.NewFromBuffer(jpeg.Bytes));
        var mean = Cv2.Mean(decoded);
        Assert.Equal((220, 30, 40), ((int)Math.Round(mean.Val0), (int)Math.Round(mean.Val1), (int)Math.Round(mean.Val2)));
    }

    [Fact]
    public void A_cut_out_of_a_larger_image_is_encoded_as_its_own_pixels()
    {
        using var big = Photo(400, 500);
        using var cut = new Mat(big, new Rect(20, 30, 300, 400));
        var jpeg = SizeWindowJpegEncoder.Encode(cut, 300, null, null);
        using var decoded = VipsMats.ToRgbMat(Image.NewFromBuffer(jpeg.Bytes));
        Assert.Equal((300, 400), (decoded.Width, decoded.Height));
        Assert.InRange(Cv2.Norm(decoded, cut, NormTypes.L1) / (3.0 * cut.Total()), 0, 3);
    }

    [Fact]
    public void Png_holds_exactly_the_pixels_of_an_image_and_of_a_cut_out_of_one()
    {
        using var noise = new Mat(301, 257, MatType.CV_8UC3);
        Cv2.Randu(noise, new Scalar(0, 0, 0), new Scalar(256, 256, 256));
        using var cut = new Mat(noise, new Rect(7, 11, 200, 250));
        foreach (var mat in new[] { noise, cut })
        {
            var png = LibPng.Encode(mat);
            using var image = Image.NewFromBuffer(png);
            Assert.Equal(("pngload_buffer", 3, mat.Width, mat.Height), ((string)image.Get("vips-loader"), image.Bands, image.Width, image.Height));
            using var decoded = VipsMats.ToRgbMat(image);
            Assert.Equal(0, Cv2.Norm(decoded, mat, NormTypes.INF));
        }
    }

    [Fact]
    public void A_window_the_photo_cannot_reach_is_reported_not_padded()
    {
        using var img = Photo(120, 160);
        var jpeg = SizeWindowJpegEncoder.Encode(img, 300, 60, 80);
        Assert.False(jpeg.InWindow);
        Assert.True(jpeg.Bytes.Length < 60 * 1024);
        Assert.Equal(new byte[] { 0xFF, 0xD9 }, jpeg.Bytes[^2..]);
    }

    [Fact]
    public void Jfif_segment_carries_the_dpi_and_replaces_other_app_segments()
    {
        using var img = PhotoImage(100, 120);
        var withExif = img.JpegsaveBuffer(q: 80);
        var fixedUp = JfifDensity.Insert(withExif, 350);
        Assert.Equal(350, JpegInfo.Read(fixedUp)!.DpiX);
        Assert.Equal(0xE0, fixedUp[3]);
        Assert.DoesNotContain(0xE1, Markers(fixedUp));
    }

    /// <summary>The sampling byte (horizontal × 16 + vertical) of each component in the SOF0 frame header.</summary>
    private static byte[] SamplingFactors(byte[] jpeg)
    {
        var i = 2;
        while (jpeg[i + 1] != 0xC0) i += 2 + ((jpeg[i + 2] << 8) | jpeg[i + 3]);
        var components = jpeg[i + 9];
        return Enumerable.Range(0, components).Select(c => jpeg[i + 11 + 3 * c]).ToArray();
    }

    private static IEnumerable<int> Markers(byte[] jpeg)
    {
        var i = 2;
        while (i + 4 <= jpeg.Length && jpeg[i] == 0xFF && jpeg[i + 1] != 0xDA)
        {
            yield return jpeg[i + 1];
            i += 2 + ((jpeg[i + 2] << 8) | jpeg[i + 3]);
        }
    }
}
