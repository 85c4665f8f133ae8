using SoraEvents.Imaging.Tests.Support;
using SoraEvents.Simulator.State;
using SoraEvents.Simulator.Tests.Support;
using static SoraEvents.Simulator.Tests.Support.JsonAssert;

namespace SoraEvents.Simulator.Tests.Pixazo;

public sealed class ImageToVideoTests
{
    private const string AllowedList = "1280x720, 720x1280, 1792x1024, 1024x1792";

    [Fact]
    public async Task I2v_rejects_a_data_png_of_unsupported_size_naming_found_and_allowed_dimensions()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new PixazoClient(simulator);

        using var response = await client.GenerateFromImageAsync(new { prompt = "She smiles", image = TestImages.PngDataUri(1920, 1080) });
        var body = await PixazoClient.JsonAsync(response);

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("Bad Request", Str(body, "error"));
        Assert.Contains("1920x1080", Str(body, "message"), StringComparison.Ordinal);
        Assert.Contains(AllowedList, Str(body, "message"), StringComparison.Ordinal);
        Assert.Empty(simulator.State.Requests);
    }

    [Fact]
    public async Task I2v_rejects_a_data_jpeg_of_unsupported_size()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new PixazoClient(simulator);

        using var response = await client.GenerateFromImageAsync(new { prompt = "She smiles", image = TestImages.JpegDataUri(1280, 721) });
        var message = Str(await PixazoClient.JsonAsync(response), "message");

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("1280x721", message, StringComparison.Ordinal);
        Assert.Contains(AllowedList, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task I2v_accepts_a_data_png_of_1280x720_and_takes_its_size_from_the_image()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new PixazoClient(simulator);
        var image = TestImages.PngDataUri(1280, 720);

        using var response = await client.GenerateFromImageAsync(new { prompt = "The woman turns her head and smiles", image });
        var body = await PixazoClient.JsonAsync(response);

        Assert.Equal(202, (int)response.StatusCode);
        HasExactly(body, "request_id", "status", "polling_url");
        var request = Assert.Single(simulator.State.Requests);
        Assert.Equal(RequestKind.Image, request.Kind);
        Assert.Equal("1280x720", request.Size);
        Assert.Equal(image, request.Image);
    }

    public static TheoryData<string, string> EverySupportedSizeInEveryFormat()
    {
        var data = new TheoryData<string, string>();
        foreach (var (width, height) in new[] { (1280, 720), (720, 1280), (1792, 1024), (1024, 1792) })
        {
            data.Add($"png {width}x{height}", TestImages.PngDataUri(width, height));
            data.Add($"jpeg {width}x{height}", TestImages.JpegDataUri(width, height));
            data.Add($"webp {width}x{height}", TestImages.DataUri("image/webp", TestImages.WebPLossy(width, height)));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EverySupportedSizeInEveryFormat))]
    public async Task I2v_accepts_every_supported_size(string what, string image)
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new PixazoClient(simulator);

        using var response = await client.GenerateFromImageAsync(new { prompt = "move", image });

        Assert.True(202 == (int)response.StatusCode, $"{what}: {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task I2v_rejects_a_size_that_does_not_match_the_image()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new PixazoClient(simulator);

        using var response = await client.GenerateFromImageAsync(new { prompt = "move", image = TestImages.PngDataUri(1280, 720), size = "720x1280" });
        var message = Str(await PixazoClient.JsonAsync(response), "message");

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("720x1280", message, StringComparison.Ordinal);
        Assert.Contains("1280x720", message, StringComparison.Ordinal);
        Assert.Contains("does not match", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task I2v_accepts_a_size_equal_to_the_image()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new PixazoClient(simulator);

        using var response = await client.GenerateFromImageAsync(new { prompt = "move", image = TestImages.PngDataUri(1024, 1792), size = "1024x1792", seconds = 8 });

        Assert.Equal(202, (int)response.StatusCode);
        Assert.Equal(8, Assert.Single(simulator.State.Requests).Seconds);
    }

    [Theory]
    [InlineData("""{"prompt":"move"}""", "image is required")]
    [InlineData("""{"prompt":"move","image":""}""", "image is required")]
    [InlineData("""{"prompt":"move","image":"ftp://example.com/a-1280x720.jpg"}""", "http(s) URL or a data:image")]
    [InlineData("""{"prompt":"move","image":"data:text/plain;base64,aGVsbG8="}""", "data:image/<type>;base64")]
    [InlineData("""{"prompt":"move","image":"data:image/png;base64,@@@"}""", "not valid base64")]
    [InlineData("""{"prompt":"move","image":"data:image/png;base64,aGVsbG8gd29ybGQ="}""", "dimensions could not be read")]
    public async Task I2v_with_an_unusable_image_is_rejected_with_400(string json, string expected)
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new PixazoClient(simulator);

        using var response = await client.PostAsync(PixazoClient.ImageToVideo, json);

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains(expected, Str(await PixazoClient.JsonAsync(response), "message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task I2v_reads_an_image_it_serves_itself_and_rejects_it_when_its_size_is_unsupported()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new PixazoClient(simulator);
        var image = simulator.ServeImage("photo-1280x720.png", TestImages.Png(800, 600), "image/png");

        // The name claims 1280x720; the served image's header is what counts.
        using var response = await client.GenerateFromImageAsync(new { prompt = "move", image = image.ToString() });

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("800x600", Str(await PixazoClient.JsonAsync(response), "message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task I2v_reads_an_image_it_serves_itself_and_accepts_it_when_its_size_is_supported()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new PixazoClient(simulator);
        var image = simulator.ServeImage("tall.jpg", TestImages.Jpeg(720, 1280), "image/jpeg");

        using var response = await client.GenerateFromImageAsync(new { prompt = "move", image = image.ToString() });

        Assert.Equal(202, (int)response.StatusCode);
        Assert.Equal("720x1280", Assert.Single(simulator.State.Requests).Size);
        using var http = new HttpClient();
        Assert.Equal(TestImages.Jpeg(720, 1280), await http.GetByteArrayAsync(image));
    }

    [Fact]
    public async Task I2v_rejects_an_image_of_its_own_it_does_not_serve()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new PixazoClient(simulator);

        using var response = await client.GenerateFromImageAsync(new { prompt = "move", image = new Uri(simulator.BaseUrl, "_sim/images/missing.png").ToString() });

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("image could not be downloaded.", Str(await PixazoClient.JsonAsync(response), "message"));
    }

    [Fact]
    public async Task I2v_never_fetches_another_loopback_address_and_answers_alike_whatever_listens_there()
    {
        await using var simulator = await TestSimulator.StartAsync();
        await using var files = await CallbackReceiver.StartAsync();
        await using var ports = await ListeningPorts.StartAsync();
        using var client = new PixazoClient(simulator);
        files.Serve("/images/tall.jpg", TestImages.Jpeg(720, 1280), "image/jpeg");

        var messages = new List<string>();
        foreach (var image in new[]
        {
            files.Url("images/tall.jpg"),                                   // an open HTTP port serving a valid image
            $"http://127.0.0.1:{ports.ClosedPort}/tall.jpg",                // nothing listening
            $"http://127.0.0.1:{ports.RawPort}/tall.jpg",                   // a port that speaks no HTTP
            $"http://localhost:{files.BaseUrl.Port}/images/tall.jpg",
            "http://10.0.0.7/photo-1280x720.jpg",
            "http://169.254.169.254/latest/meta-data/1280x720.jpg",
            "http://[::1]/1280x720.png",
        })
        {
            using var response = await client.GenerateFromImageAsync(new { prompt = "move", image });
            Assert.Equal(400, (int)response.StatusCode);
            messages.Add(Str(await PixazoClient.JsonAsync(response), "message"));
        }

        Assert.All(messages, m => Assert.Equal("image could not be downloaded.", m));
        Assert.Equal(0, files.Downloads);
        Assert.Equal(0, ports.RawConnections);
    }

    [Theory]
    [InlineData("https://example.com/image-1280x720.jpg", 202, "1280x720")]
    [InlineData("https://example.com/city-skyline-1792x1024.jpg", 202, "1792x1024")]
    [InlineData("https://cdn.example.com/1000x1000/image.jpg", 400, null)]
    [InlineData("https://example.com/image-1000x1000.jpg", 400, null)]
    [InlineData("https://example.com/photo.jpg", 202, null)]
    public async Task I2v_judges_a_remote_image_by_the_size_in_its_name_and_accepts_one_without(string url, int expectedStatus, string? expectedSize)
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new PixazoClient(simulator);

        using var response = await client.GenerateFromImageAsync(new { prompt = "move", image = url });

        Assert.Equal(expectedStatus, (int)response.StatusCode);
        if (expectedStatus == 202)
        {
            Assert.Equal(expectedSize, Assert.Single(simulator.State.Requests).Size);
        }
        else
        {
            Assert.Contains("1000x1000", Str(await PixazoClient.JsonAsync(response), "message"), StringComparison.Ordinal);
        }
    }
}
