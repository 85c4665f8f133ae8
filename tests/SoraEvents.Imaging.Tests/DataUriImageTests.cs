using SoraEvents.Imaging.Tests.Support;

namespace SoraEvents.Imaging.Tests;

public sealed class DataUriImageTests
{
    private const int TenMegabytes = 10 * 1024 * 1024;

    [Fact]
    public void Decodes_a_base64_png_and_its_media_type()
    {
        var png = TestImages.Png(1280, 720);

        Assert.True(DataUriImage.TryParse(TestImages.DataUri("image/png", png), out var image, out var problem));
        Assert.Null(problem);
        Assert.Equal("image/png", image.MediaType);
        Assert.Equal(png, image.Bytes);
    }

    [Fact]
    public void Decoded_bytes_are_what_the_header_reader_reads()
    {
        Assert.True(DataUriImage.TryParse(TestImages.JpegDataUri(1792, 1024), out var image, out _));

        Assert.True(ImageHeaderReader.TryRead(image.Bytes, out var format, out var dimensions));
        Assert.Equal(ImageFormat.Jpeg, format);
        Assert.Equal(new ImageDimensions(1792, 1024), dimensions);
    }

    [Theory]
    [InlineData("DATA:IMAGE/WEBP;BASE64,", "image/webp")]
    [InlineData("data:image/jpeg;name=photo.jpg;base64,", "image/jpeg")]
    [InlineData("data: image/png ; base64,", "image/png")]
    public void Scheme_media_type_and_base64_marker_are_case_insensitive_and_parameters_are_skipped(string prefix, string mediaType)
    {
        Assert.True(DataUriImage.TryParse(prefix + "AQID", out var image, out _));
        Assert.Equal(mediaType, image.MediaType);
        Assert.Equal([1, 2, 3], image.Bytes);
    }

    [Theory]
    [InlineData("https://example.com/a.png", "is not a data: URI")]
    [InlineData("", "is not a data: URI")]
    [InlineData("data:image/png;base64", "no ',' before its data")]
    [InlineData("data:,AQID", "data:image/<type>;base64,<data>")]
    [InlineData("data:text/plain;base64,aGVsbG8=", "its media type is 'text/plain'")]
    [InlineData("data:image/;base64,AQID", "its media type is 'image/'")]
    [InlineData("data:image/png,%89PNG", "only base64 data is accepted")]
    [InlineData("data:image/png;base64,", "carries no data")]
    [InlineData("data:image/png;base64,@@@", "not valid base64")]
    [InlineData("data:image/png;base64,AQI", "not valid base64")]
    public void Refuses_what_is_not_a_base64_image_data_uri_saying_why(string value, string expected)
    {
        Assert.False(DataUriImage.TryParse(value, out var image, out var problem));
        Assert.Null(image);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_an_image_larger_than_the_limit_naming_the_limit()
    {
        var uri = TestImages.DataUri("image/png", new byte[TenMegabytes + 1]);

        Assert.False(DataUriImage.TryParse(uri, TenMegabytes, out _, out var problem));
        Assert.Contains("is larger than 10 MB", problem, StringComparison.Ordinal);
        Assert.Contains((TenMegabytes + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Accepts_an_image_exactly_at_the_limit()
    {
        Assert.True(DataUriImage.TryParse(TestImages.DataUri("image/png", new byte[1000]), 1000, out var image, out _));
        Assert.Equal(1000, image.Bytes.Length);
    }

    [Theory]
    [InlineData("data:image/png;base64,AQID", true)]
    [InlineData("Data:broken", true)]
    [InlineData("https://example.com/data:image.png", false)]
    [InlineData(null, false)]
    public void IsDataUri_looks_at_the_scheme_only(string? value, bool expected)
    {
        Assert.Equal(expected, DataUriImage.IsDataUri(value));
    }
}
