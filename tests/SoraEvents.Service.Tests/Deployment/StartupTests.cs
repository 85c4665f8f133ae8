using System.Net;
using System.Text.RegularExpressions;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SoraEvents.Service.Archiving;

namespace SoraEvents.Service.Tests.Deployment;

/// <summary>How the service starts as a newcomer starts it: environments, ports, bad settings, what it sends out.</summary>
public sealed partial class StartupTests : IDisposable
{
    private readonly string dataFolder = Path.Combine(Path.GetTempPath(), "soraevents-startup-tests", Guid.NewGuid().ToString("N"));

    public StartupTests() => Directory.CreateDirectory(dataFolder);

    public void Dispose()
    {
        try { Directory.Delete(dataFolder, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Service_starts_and_answers_live_in_the_Development_environment()
    {
        var environment = ServiceRun.Basics(dataFolder);
        environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        await using var service = new ChildProcess("SoraEvents.Service.dll", environment);

        await service.StartAsync("/health/live", untilReady: false);

        using var http = new HttpClient { BaseAddress = service.BaseUrl };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
        Assert.Contains(service.Lines, l => l.Contains("Hosting environment: Development", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Test_hosts_validate_scopes_so_a_scoped_service_cannot_be_taken_from_the_root()
    {
        await using var factory = new ServiceFactory();
        _ = factory.Services; // builds the host

        var refused = Assert.Throws<InvalidOperationException>(() => factory.Services.GetRequiredService<ArchiveBeforePublish>());
        Assert.Contains("scoped", refused.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("Webhooks__MaxBodyBytes", "0")]
    [InlineData("Webhooks__MaxBodyBytes", "lots")]
    [InlineData("Logging__Format", "xml")]
    [InlineData("Bus__Transport", "Kafka")]
    public async Task An_invalid_setting_ends_the_start_with_one_line_naming_it_and_a_non_zero_exit(string setting, string value)
    {
        var environment = ServiceRun.Basics(dataFolder);
        environment[setting] = value;

        var (exit, lines) = await ServiceRun.RunAsync(environment, ["SoraEvents.Service.dll", "--urls", "http://127.0.0.1:0"],
            stopAt: l => l.Contains("Now listening on", StringComparison.Ordinal));

        var output = string.Join('\n', lines);
        Assert.True(exit is not null, $"the service started despite {setting}={value}:\n{output}");
        Assert.NotEqual(0, exit);
        Assert.NotEqual(134, exit);
        Assert.Single(lines, l => l.Contains($"Invalid setting {setting}", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, ServiceRun.IsStackTraceLine);
    }

    [Fact]
    public async Task Dotnet_run_listens_where_ASPNETCORE_URLS_says()
    {
        int port;
        using (var reservation = new PortReservation()) port = reservation.Port;
        var environment = ServiceRun.Basics(dataFolder);
        environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Parent!.Name; // bin/<Configuration>/net10.0

        var (exit, lines) = await ServiceRun.RunAsync(environment,
            ["run", "--no-build", "-c", configuration, "--project", Path.Combine(ServiceRun.RepositoryRoot(), "src", "SoraEvents.Service")],
            stopAt: l => l.Contains("Now listening on", StringComparison.Ordinal),
            workingDirectory: Path.Combine(ServiceRun.RepositoryRoot(), "src", "SoraEvents.Service"));

        var listening = lines.Select(l => ListeningOn().Match(l)).Where(m => m.Success).Select(m => m.Groups["url"].Value).ToList();
        Assert.True(exit is null && listening.Count > 0, $"dotnet run did not start listening:\n{string.Join('\n', lines)}");
        Assert.Equal([$"http://127.0.0.1:{port}"], listening);
    }

    [Fact]
    public async Task MassTransit_usage_telemetry_is_off_unless_turned_on()
    {
        await using var byDefault = new ServiceFactory();
        await using var turnedOn = new ServiceFactory();
        turnedOn.Settings["Bus:UsageTelemetry"] = "true";

        Assert.False(byDefault.Services.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value.Enabled);
        Assert.True(turnedOn.Services.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value.Enabled);
    }

    [GeneratedRegex(@"Now listening on: (?<url>\S+)")]
    private static partial Regex ListeningOn();
}
