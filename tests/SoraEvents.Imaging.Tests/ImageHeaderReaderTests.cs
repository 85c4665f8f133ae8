using SoraEvents.Imaging.Tests.Support;

namespace SoraEvents.Imaging.Tests;

public sealed class ImageHeaderReaderTests
{
    [Theory]
    [InlineData("rgb.png", "Png", 33, 17)]
    [InlineData("baseline.jpg", "Jpeg", 33, 17)]
    [InlineData("progressive.jpg", "Jpeg", 33, 17)]
    [InlineData("lossy.webp", "WebP", 34, 18)]
    [InlineData("lossless.webp", "WebP", 33, 17)]
    [InlineData("alpha.webp", "WebP", 34, 18)]
    public void Reads_dimensions_of_files_written_by_real_encoders(string file, string format, int width, int height)
    {
        // Made with ffmpeg/libwebp/jpegtran; the JPEGs' JFIF density fields hold 17 and 33 to catch a reader that looks there.
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", file));

        Assert.True(ImageHeaderReader.TryRead(bytes, out var actualFormat, out var dimensions));
        Assert.Equal(format, actualFormat.ToString());
        Assert.Equal(new ImageDimensions(width, height), dimensions);
    }

    [Theory]
    [InlineData(1280, 720)]
    [InlineData(1024, 1792)]
    [InlineData(1, 1)]
    public void Reads_png_dimensions_from_ihdr(int width, int height)
    {
        Assert.True(ImageHeaderReader.TryRead(TestImages.Png(width, height), out var format, out var dimensions));
        Assert.Equal(ImageFormat.Png, format);
        Assert.Equal(new ImageDimensions(width, height), dimensions);
    }

    [Theory]
    [InlineData(0xC0)]
    [InlineData(0xC1)]
    [InlineData(0xC2)]
    [InlineData(0xCF)]
    public void Reads_jpeg_dimensions_from_any_start_of_frame_after_skipping_segments_by_length(byte startOfFrame)
    {
        // The APP1 segment holds bytes that look like a 1x1 frame header; only a reader that scans for them is fooled.
        var jpeg = TestImages.Jpeg(1792, 1024, startOfFrame);

        Assert.True(ImageHeaderReader.TryRead(jpeg, out var format, out var dimensions));
        Assert.Equal(ImageFormat.Jpeg, format);
        Assert.Equal(new ImageDimensions(1792, 1024), dimensions);
    }

    [Fact]
    public void Jpeg_whose_scan_starts_before_any_frame_header_is_unreadable()
    {
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x08, 1, 1, 0, 0, 63, 0, 0xFF, 0xD9];

        Assert.False(ImageHeaderReader.TryRead(jpeg, out _, out _));
    }

    [Fact]
    public void Reads_lossy_webp_dimensions()
    {
        Assert.True(ImageHeaderReader.TryRead(TestImages.WebPLossy(1280, 720), out var format, out var dimensions));
        Assert.Equal(ImageFormat.WebP, format);
        Assert.Equal(new ImageDimensions(1280, 720), dimensions);
    }

    [Fact]
    public void Reads_lossless_webp_dimensions()
    {
        Assert.True(ImageHeaderReader.TryRead(TestImages.WebPLossless(720, 1280), out _, out var dimensions));
        Assert.Equal(new ImageDimensions(720, 1280), dimensions);
    }

    [Fact]
    public void Reads_extended_webp_canvas_dimensions_beyond_14_bits()
    {
        Assert.True(ImageHeaderReader.TryRead(TestImages.WebPExtended(20000, 1024), out _, out var dimensions));
        Assert.Equal(new ImageDimensions(20000, 1024), dimensions);
    }

    public static TheoryData<string, byte[]> Unreadable => new()
    {
        { "empty", [] },
        { "text", "hello, this is not an image"u8.ToArray() },
        { "png signature only", TestImages.Png(1280, 720)[..12] },
        // 35 bytes of Huffman table, scan header and end follow the 19-byte frame header; this keeps 6 of those 19.
        { "jpeg cut inside the frame header", TestImages.Jpeg(1280, 720)[..^48] },
        { "jpeg start only", [0xFF, 0xD8] },
        { "gif", "GIF89a\u0010\u0000\u0010\u0000"u8.ToArray() },
        { "webp with an unknown chunk", [.. "RIFF"u8, 0, 0, 0, 0, .. "WEBP"u8, .. "ABCD"u8, .. new byte[20]] },
        { "webp lossy without start code", [.. TestImages.WebPLossy(1280, 720)[..23], 0, 0, 0, .. new byte[4]] },
        { "png with zero width", TestImages.Png(1, 1) is var png ? [.. png[..16], 0, 0, 0, 0, .. png[20..]] : [] },
    };

    [Theory]
    [MemberData(nameof(Unreadable))]
    public void Refuses_what_it_cannot_read(string what, byte[] bytes)
    {
        Assert.False(ImageHeaderReader.TryRead(bytes, out _, out _), what);
    }
}
