using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SoraEvents.Contracts;
using SoraEvents.Service.Providers;
using SoraEvents.Service.Providers.Apixo;
using SoraEvents.Service.Providers.Pixazo;
using SoraEvents.Service.Tests.Support;

namespace SoraEvents.Service.Tests.Providers;

public class GatewayRouterTests
{
    private static GatewayRouter Router(string @default = "pixazo", bool failover = true, string apixoRoute = "auto")
    {
        var options = Options.Create(new ProvidersOptions { Default = @default, Failover = failover, Apixo = new ApixoOptions { Route = apixoRoute } });
        // Only the capability checks run here, so the gateways never send anything.
        var transport = new GatewayTransport(null!, TimeProvider.System, NullLogger<GatewayTransport>.Instance);
        IVideoGateway[] gateways =
        [
            new PixazoGateway(new HttpClient(), transport, options, TimeProvider.System, NullLogger<PixazoGateway>.Instance),
            new ApixoGateway(new HttpClient(), transport, options, TimeProvider.System, NullLogger<ApixoGateway>.Instance),
        ];
        return new GatewayRouter(gateways, options);
    }

    private static GenerateVideo Request(int? seconds = null, string? provider = null, string? image = null, string? size = null) =>
        new(Guid.NewGuid(), "A lighthouse in a storm", Image: image, Size: size, Seconds: seconds, Provider: provider);

    private static string[] Names(RoutingPlan plan) => plan.Candidates.Select(g => g.Name).ToArray();

    [Fact]
    public void Request_both_can_serve_goes_to_the_default_first_with_the_other_as_failover()
    {
        Assert.Equal(["pixazo", "apixo"], Names(Router().Plan(Request())));
        Assert.Equal(["apixo", "pixazo"], Names(Router(@default: "apixo").Plan(Request())));
    }

    [Fact]
    public void Unnamed_request_goes_to_the_gateway_that_can_serve_its_duration()
    {
        Assert.Equal(["apixo"], Names(Router().Plan(Request(seconds: 15))));
        Assert.Equal(["pixazo"], Names(Router(@default: "apixo").Plan(Request(seconds: 8))));
    }

    [Fact]
    public void Named_gateway_that_cannot_serve_is_refused_with_its_name_and_allowed_values()
    {
        var apixo = Router().Plan(Request(seconds: 4, provider: "apixo"));
        Assert.True(apixo.IsRefused);
        Assert.Equal("apixo: seconds 4 is not supported; use 10 or 15.", Assert.Single(apixo.Refusals));

        var pixazo = Router().Plan(Request(seconds: 15, provider: "pixazo"));
        Assert.Equal("pixazo: seconds 15 is not supported; use 4, 8 or 12.", Assert.Single(pixazo.Refusals));
    }

    [Fact]
    public void Request_no_gateway_can_serve_lists_every_gateways_reason()
    {
        var plan = Router().Plan(Request(seconds: 5));
        Assert.True(plan.IsRefused);
        Assert.Equal(["pixazo: seconds 5 is not supported; use 4, 8 or 12.", "apixo: seconds 5 is not supported; use 10 or 15."], plan.Refusals);
    }

    [Fact]
    public void Data_image_of_a_size_pixazo_refuses_is_checked_locally_and_routed_to_apixo()
    {
        var image = TestImages.PngDataUri(800, 600);
        Assert.Equal(["apixo"], Names(Router().Plan(Request(image: image))));

        var named = Router().Plan(Request(image: image, provider: "pixazo"));
        Assert.Contains("pixazo: the image is 800x600; it must be exactly 1280x720, 720x1280, 1792x1024, 1024x1792.", named.Refusals);
    }

    [Fact]
    public void Size_that_does_not_match_the_image_is_refused_by_pixazo()
    {
        var plan = Router().Plan(Request(image: TestImages.PngDataUri(1280, 720), size: "720x1280", provider: "pixazo"));
        Assert.Contains("does not match the image's 1280x720", Assert.Single(plan.Refusals));
    }

    [Fact]
    public void Image_url_cannot_be_checked_locally_so_both_gateways_stay_candidates() =>
        Assert.Equal(["pixazo", "apixo"], Names(Router().Plan(Request(image: "https://example.com/photo.jpg"))));

    [Fact]
    public void Image_over_ten_megabytes_is_refused_by_apixo()
    {
        var image = TestImages.PngDataUri(1280, 720, padTo: 10 * 1024 * 1024 + 1);
        Assert.Equal(["pixazo"], Names(Router().Plan(Request(image: image))));
    }

    [Fact]
    public void Official_route_takes_twelve_seconds_only()
    {
        Assert.Equal(["pixazo", "apixo"], Names(Router(apixoRoute: "official").Plan(Request(seconds: 12))));
        Assert.Contains("official route", Assert.Single(Router(apixoRoute: "official").Plan(Request(seconds: 10, provider: "apixo")).Refusals));
    }

    [Fact]
    public void Without_failover_a_named_gateway_stands_alone() =>
        Assert.Equal(["apixo"], Names(Router(failover: false).Plan(Request(provider: "apixo"))));
}
