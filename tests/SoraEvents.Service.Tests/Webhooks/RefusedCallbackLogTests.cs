using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SoraEvents.Service.Tests.Support;
using SoraEvents.Service.Webhooks;

namespace SoraEvents.Service.Tests.Webhooks;

/// <summary>Wrong-token callbacks flood in; the log gets one line per provider per interval, the metric every one.</summary>
public sealed class RefusedCallbackLogTests : IAsyncLifetime
{
    private readonly FakeTimeProvider clock = new(DateTimeOffset.Parse("2026-03-31T10:00:00Z"));
    private readonly HarnessFactory factory = new(withApixo: true);
    private HttpClient client = null!;

    public async Task InitializeAsync()
    {
        var harness = factory.TestServices;
        factory.TestServices = services =>
        {
            harness?.Invoke(services);
            services.AddSingleton<TimeProvider>(clock);
        };
        client = factory.CreateClient();
        await factory.Harness.Start();
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private async Task RefuseAsync(string provider, int count)
    {
        for (var i = 0; i < count; i++)
        {
            using var response = await client.PostAsync($"/webhooks/{provider}/{Guid.NewGuid()}?token=forged{i}",
                new StringContent("{}", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    private IReadOnlyList<string> Warnings(string provider) =>
        factory.Logs.Mentioning("refused: missing or wrong token").Where(l => l.Contains($"from {provider}")).ToList();

    [Fact]
    public async Task Wrong_token_callbacks_log_one_line_per_provider_per_interval_with_the_count_and_are_all_measured()
    {
        var meters = factory.Services.GetRequiredService<IMeterFactory>();
        var refused = new ConcurrentDictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == meters && instrument.Name == "soraevents.webhook.refused") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var tagged = tags.ToArray().ToDictionary(t => t.Key, t => t.Value);
            refused.AddOrUpdate($"{tagged["provider"]}/{tagged["reason"]}", value, (_, sum) => sum + value);
        });
        listener.Start();

        await RefuseAsync("pixazo", 60);
        await RefuseAsync("apixo", 5);
        clock.Advance(RefusedCallbackLog.Interval - TimeSpan.FromSeconds(1));
        await RefuseAsync("pixazo", 10);

        Assert.Single(Warnings("pixazo"));
        Assert.Single(Warnings("apixo"));

        clock.Advance(TimeSpan.FromSeconds(1));
        await RefuseAsync("pixazo", 1);

        var lines = Warnings("pixazo");
        Assert.Equal(2, lines.Count);
        Assert.Contains("; 69 more refused since the last such line", lines[1]);
        Assert.Equal(71, refused["pixazo/unauthenticated"]);
        Assert.Equal(5, refused["apixo/unauthenticated"]);
    }
}
