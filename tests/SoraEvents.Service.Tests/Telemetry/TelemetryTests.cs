using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;
using MassTransit.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using SoraEvents.Contracts;
using SoraEvents.Service.Telemetry;
using SoraEvents.Service.Tests.Support;
using SoraEvents.Service.Webhooks;

namespace SoraEvents.Service.Tests.Telemetry;

public sealed class TelemetryTests : IAsyncLifetime
{
    private readonly HarnessFactory factory = new();
    private readonly ConcurrentQueue<(string Path, byte[] Body)> exported = new();
    private WebApplication collector = null!;

    public async Task InitializeAsync()
    {
        // A stand-in OTLP collector: it only records what arrives.
        collector = WebApplication.CreateBuilder().Build();
        collector.Urls.Add("http://127.0.0.1:0");
        collector.MapPost("/{**path}", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            exported.Enqueue((request.Path, body.ToArray()));
            return Results.Ok();
        });
        await collector.StartAsync();
        var address = collector.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        factory.Settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = address;
        factory.Settings["OTEL_METRIC_EXPORT_INTERVAL"] = "300";
        await factory.Harness.Start();
    }

    public async Task DisposeAsync()
    {
        await factory.DisposeAsync();
        await collector.DisposeAsync();
    }

    private async Task CompleteOneJobByCallbackAsync()
    {
        var command = new GenerateVideo(Guid.NewGuid(), "measured");
        await factory.Harness.Bus.Publish(command);
        Assert.True(await factory.Harness.Published.Any<VideoSubmitted>(m => m.Context.Message.JobId == command.JobId));
        await factory.Harness.Bus.Publish(new CallbackReceived(command.JobId, "pixazo",
            $$$"""{"request_id":"fake_{{{command.JobId:N}}}_1","status":"COMPLETED","output":{"media_url":["https://cdn.test/m.mp4"]}}""",
            DateTimeOffset.UtcNow));
        Assert.True(await factory.Harness.Published.Any<VideoCompleted>(m => m.Context.Message.JobId == command.JobId));
    }

    [Fact]
    public async Task Ended_jobs_and_callback_to_event_latency_are_measured_by_outcome_and_provider()
    {
        // Scoped to this host's meter factory: other tests running at the same time have meters of the same name.
        var meters = factory.Services.GetRequiredService<IMeterFactory>();
        using var ended = new MetricCollector<long>(meters, ServiceTelemetry.Name, "soraevents.jobs.ended");
        using var latency = new MetricCollector<double>(meters, ServiceTelemetry.Name, "soraevents.callback.to_event");

        await CompleteOneJobByCallbackAsync();

        var measured = Assert.Single(ended.GetMeasurementSnapshot());
        Assert.Equal(("completed", "pixazo", "none"), ((string)measured.Tags["outcome"]!, (string)measured.Tags["provider"]!, (string)measured.Tags["code"]!));
        // Recorded by the consumer just after the event it measures is out, so it may trail it a little.
        await latency.WaitForMeasurementsAsync(1, TimeSpan.FromSeconds(30));
        Assert.InRange(Assert.Single(latency.GetMeasurementSnapshot()).Value, 0, 30_000);
    }

    [Fact]
    public async Task Waiting_jobs_gauge_counts_queued_jobs()
    {
        var store = factory.Services.GetRequiredService<SoraEvents.Service.Jobs.IJobStore>();
        factory.Gateway.Limits = new SoraEvents.Service.Providers.GatewayLimits(null, 1); // one slot: the rest must wait
        for (var i = 0; i < 3; i++) await factory.Harness.Bus.Publish(new GenerateVideo(Guid.NewGuid(), $"waiting {i}"));
        await Eventually.TrueAsync(async () => await store.CountAsync(SoraEvents.Service.Jobs.JobStatus.Queued, CancellationToken.None) == 2,
            TimeSpan.FromSeconds(30), "two jobs waiting for the slot");

        using var waiting = new MetricCollector<long>(factory.Services.GetRequiredService<IMeterFactory>(), ServiceTelemetry.Name, "soraevents.jobs.waiting");
        await Eventually.TrueAsync(() => { waiting.RecordObservableInstruments(); return Task.FromResult(waiting.LastMeasurement?.Value == 2); },
            TimeSpan.FromSeconds(30), "the gauge at 2");
    }

    [Fact]
    public async Task Traces_and_metrics_are_exported_over_otlp_when_an_endpoint_is_set()
    {
        await CompleteOneJobByCallbackAsync();

        await Eventually.TrueAsync(() => Task.FromResult(
                exported.Any(e => e.Path == "/v1/traces") && exported.Any(e => e.Path == "/v1/metrics" && Contains(e.Body, "soraevents.jobs.ended"))),
            TimeSpan.FromSeconds(60), "OTLP traces and metrics at the collector");
        Assert.Contains(exported, e => e.Path == "/v1/traces" && Contains(e.Body, "submit"));
    }

    [Fact]
    public async Task Logs_go_over_otlp_too_with_callback_tokens_masked()
    {
        const string token = "otlp-log-test-token-4c1f9e";
        var logger = factory.Services.GetRequiredService<ILoggerFactory>().CreateLogger("SoraEvents.Service.Tests");
        var url = $"http://soraevents.test/webhooks/pixazo/{Guid.NewGuid()}?token={token}";
        logger.LogWarning(new HttpRequestException($"POST {url} failed"), "Callback URL {CallbackUrl}", url);

        // The redactor (properties and exception text) stands in front of this sink as well as the console.
        await Eventually.TrueAsync(() => Task.FromResult(exported.Any(e => e.Path == "/v1/logs" && Contains(e.Body, "token=***"))),
            TimeSpan.FromSeconds(60), "the line at the collector");
        Assert.DoesNotContain(exported, e => Contains(e.Body, token));
    }

    // OTLP/protobuf carries names as plain UTF-8 strings, so finding one in the bytes is enough here.
    private static bool Contains(byte[] body, string text) => body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;
}
