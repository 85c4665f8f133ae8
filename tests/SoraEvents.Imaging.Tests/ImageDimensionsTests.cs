namespace SoraEvents.Imaging.Tests;

public sealed class ImageDimensionsTests
{
    [Fact]
    public void Is_written_width_x_height_as_video_sizes_are()
    {
        Assert.Equal("1280x720", new ImageDimensions(1280, 720).ToString());
    }

    [Fact]
    public void Equal_sizes_are_equal()
    {
        Assert.Equal(new ImageDimensions(720, 1280), new ImageDimensions(720, 1280));
        Assert.NotEqual(new ImageDimensions(720, 1280), new ImageDimensions(1280, 720));
    }
}
