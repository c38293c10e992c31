using PhotoReceipt.Testing;
using System.Buffers.Binary;
using PhotoReceipt.Core.Photos;

namespace PhotoReceipt.Imaging.Tests;

[Collection(PipelineCollection.Name)]
public sealed class InputValidationTests(PipelineFixture fx)
{
    private static Check File(PhotoResult r)
    {
        Assert.Null(r.Jpeg);
        Assert.Null(r.Preview);
        Assert.False(r.Report.Usable);
        var c = Assert.Single(r.Report.Checks, c => c.Id == "file");
        Assert.Equal(CheckStatus.Fail, c.Status);
        return c;
    }

    [Fact]
    public async Task Zero_bytes_are_an_empty_file()
    {
        var c = File(await fx.Run([], "cn-id-card"));
        Assert.Equal("0 字节", c.Measured);
        Assert.Contains("空", c.Message);
    }

    [Fact]
    public async Task Text_is_not_an_image()
    {
        var c = File(await fx.Run("hello, this is not a photo"u8.ToArray(), "cn-id-card"));
        Assert.Contains("无法识别", c.Measured);
    }

    [Fact]
    public async Task Pdf_is_refused_even_though_libvips_could_open_it()
    {
        var pdf = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"u8.ToArray();
        var c = File(await fx.Run(pdf, "cn-id-card"));
        Assert.Contains("不", c.Message);
    }

    [Fact]
    public async Task Truncated_jpeg_is_a_clear_error()
    {
        var full = fx.PhoneJpeg;
        var c = File(await fx.Run(full[..(full.Length * 6 / 10)], "cn-id-card"));
        Assert.Contains("损坏", c.Measured);
        Assert.Contains("重新上传", c.Message);
    }

    [Fact]
    public async Task Jpeg_with_garbage_after_the_header_is_a_clear_error()
    {
        var bytes = fx.Portrait("test3.jpg").ToArray();
        new Random(7).NextBytes(bytes.AsSpan(600));
        var c = File(await fx.Run(bytes, "cn-id-card"));
        Assert.Contains("JPEG", c.Measured);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(8, 8)]
    [InlineData(3000, 2)]
    public async Task Degenerate_sizes_get_a_no_face_report(int width, int height)
    {
        using var img = NetVips.Image.Black(width, height, bands: 3);
        var r = await fx.Run(img.Cast(NetVips.Enums.BandFormat.Uchar).PngsaveBuffer(), "cn-id-card");
        Assert.Null(r.Jpeg);
        var c = Assert.Single(r.Report.Checks, c => c.Status == CheckStatus.Fail);
        Assert.Equal(("single_face", "0 张"), (c.Id, c.Measured));
    }

    [Fact]
    public async Task Pixel_bomb_is_refused_from_the_header()
    {
        var c = File(await fx.Run(TinyPngClaiming(50000, 50000), "cn-id-card"));
        Assert.Equal("50000×50000 px", c.Measured);
        Assert.Contains("像素过多", c.Message);
    }

    /// <summary>A valid 8-bit RGB PNG header for width×height followed by a tiny IDAT: ~60 bytes.</summary>
    internal static byte[] TinyPngClaiming(int width, int height)
    {
        var ms = new MemoryStream();
        ms.Write(TestPng.Signature);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;
        ihdr[9] = 2;
        TestPng.WriteChunk(ms, "IHDR", ihdr);
        TestPng.WriteChunk(ms, "IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        TestPng.WriteChunk(ms, "IEND", []);
        return ms.ToArray();
    }
}
