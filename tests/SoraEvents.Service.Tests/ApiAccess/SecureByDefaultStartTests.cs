using System.Net;
using SoraEvents.Service.ApiAccess;

namespace SoraEvents.Service.Tests.ApiAccess;

/// <summary>The real service process: an API without keys is served on loopback only, unless the operator says otherwise.</summary>
public sealed class SecureByDefaultStartTests : IDisposable
{
    private readonly string dataFolder = Path.Combine(Path.GetTempPath(), "soraevents-secure-start", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(dataFolder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private Dictionary<string, string> Settings(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string>
        {
            ["Store__ConnectionString"] = $"Data Source={Path.Combine(dataFolder, "jobs.db")}",
            ["Webhooks__SigningKeyFile"] = Path.Combine(dataFolder, "signing.key"),
        };
        foreach (var (key, value) in extra) settings[key] = value;
        return settings;
    }

    [Fact]
    public async Task Without_keys_a_start_on_every_interface_is_refused_with_one_line_naming_the_setting()
    {
        await using var service = new ChildProcess("SoraEvents.Service.dll", Settings()) { Urls = "http://0.0.0.0:0" };

        var failure = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => service.StartAsync("/health/live"));

        Assert.Contains("before it listened", failure.Message);
        Assert.Equal(ApiAccessStartCheck.RefusedExitCode, service.ExitCode);
        var naming = service.Lines.Where(l => l.Contains("Api__Keys__", StringComparison.Ordinal)).ToList();
        Assert.True(naming.Count == 1, $"one line names Api__Keys__:\n{service.Output}");
        Assert.Contains("0.0.0.0", naming[0]);
        Assert.DoesNotContain(service.Lines, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        Assert.DoesNotContain(service.Lines, l => l.Contains("Now listening", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Allow_anonymous_overrides_the_refusal_with_a_warning_and_serves_the_open_api()
    {
        await using var service = new ChildProcess("SoraEvents.Service.dll", Settings(("Api__AllowAnonymous", "true"))) { Urls = "http://0.0.0.0:0" };

        await service.StartAsync("/health/live");

        Assert.Contains(service.Lines, l => l.Contains("Api:AllowAnonymous is true", StringComparison.Ordinal) && l.Contains("WRN", StringComparison.Ordinal));
        using var http = new HttpClient { BaseAddress = service.BaseUrl };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/v1/videos")).StatusCode);
    }

    [Fact]
    public async Task Without_keys_on_loopback_the_api_is_open_and_the_service_says_so()
    {
        await using var service = new ChildProcess("SoraEvents.Service.dll", Settings());

        await service.StartAsync("/health/live");

        Assert.Contains(service.Lines, l => l.Contains("No API key configured", StringComparison.Ordinal) && l.Contains("loopback only", StringComparison.Ordinal));
        using var http = new HttpClient { BaseAddress = service.BaseUrl };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/v1/videos")).StatusCode);
    }

    [Fact]
    public async Task With_a_key_every_interface_is_fine_and_the_key_is_required()
    {
        await using var service = new ChildProcess("SoraEvents.Service.dll", Settings(("Api__Keys__orders", "sk_orders_0123456789abcdef"))) { Urls = "http://0.0.0.0:0" };

        await service.StartAsync("/health/live");

        using var http = new HttpClient { BaseAddress = service.BaseUrl };
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/v1/videos")).StatusCode);
        http.DefaultRequestHeaders.Authorization = new("Bearer", "sk_orders_0123456789abcdef");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/v1/videos")).StatusCode);
    }
}
