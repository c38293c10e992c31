using NetVips;
using PhotoReceipt.Core.Photos;
using PhotoReceipt.Imaging.Encoding;

namespace PhotoReceipt.Imaging.Tests;

[Collection(PipelineCollection.Name)]
public sealed class EncodingTests(PipelineFixture fx)
{
    private Image Photo(int width, int height)
    {
        using var portrait = Image.NewFromBuffer(fx.Portrait("test3.jpg"));
        using var resized = portrait.Resize((double)width / portrait.Width, vscale: (double)height / portrait.Height);
        return resized.CopyMemory();
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
        using var img = Photo(100, 120);
        var withExif = img.JpegsaveBuffer(q: 80);
        var fixedUp = JfifDensity.Insert(withExif, 350);
        Assert.Equal(350, JpegInfo.Read(fixedUp)!.DpiX);
        Assert.Equal(0xE0, fixedUp[3]);
        Assert.DoesNotContain(0xE1, Markers(fixedUp));
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
