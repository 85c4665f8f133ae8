using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;
using MassTransit.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SoraEvents.Contracts;
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
        var meters = factory.Services.GetRequiredService<IMeterFactory>();
        var measured = new ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        // Only this host's meters: other tests running at the same time have meters of the same name.
        listener.InstrumentPublished = (instrument, l) => { if (instrument.Meter.Scope == meters) l.EnableMeasurementEvents(instrument); };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => measured.Enqueue((i.Name, v, Tags(tags))));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => measured.Enqueue((i.Name, v, Tags(tags))));
        listener.Start();

        await CompleteOneJobByCallbackAsync();

        var ended = Assert.Single(measured, m => m.Instrument == "soraevents.jobs.ended");
        Assert.Equal(("completed", "pixazo", "none"), ((string)ended.Tags["outcome"]!, (string)ended.Tags["provider"]!, (string)ended.Tags["code"]!));
        // Recorded by the consumer just after the event it measures is out, so it may trail it a little.
        await Eventually.TrueAsync(() => Task.FromResult(measured.Any(m => m.Instrument == "soraevents.callback.to_event")),
            TimeSpan.FromSeconds(30), "the latency measurement");
        var latency = Assert.Single(measured, m => m.Instrument == "soraevents.callback.to_event");
        Assert.InRange(latency.Value, 0, 30_000);
    }

    [Fact]
    public async Task Waiting_jobs_gauge_counts_queued_jobs()
    {
        var store = factory.Services.GetRequiredService<SoraEvents.Service.Jobs.IJobStore>();
        factory.Gateway.Limits = new SoraEvents.Service.Providers.GatewayLimits(null, 1); // one slot: the rest must wait
        for (var i = 0; i < 3; i++) await factory.Harness.Bus.Publish(new GenerateVideo(Guid.NewGuid(), $"waiting {i}"));
        await Eventually.TrueAsync(async () => await store.CountAsync(SoraEvents.Service.Jobs.JobStatus.Queued, CancellationToken.None) == 2,
            TimeSpan.FromSeconds(30), "two jobs waiting for the slot");

        var meters = factory.Services.GetRequiredService<IMeterFactory>();
        long observed = -1;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == meters && instrument.Name == "soraevents.jobs.waiting") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => observed = value);
        listener.Start();
        await Eventually.TrueAsync(() => { listener.RecordObservableInstruments(); return Task.FromResult(observed == 2); },
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

    private static Dictionary<string, object?> Tags(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var result = new Dictionary<string, object?>();
        foreach (var tag in tags) result[tag.Key] = tag.Value;
        return result;
    }

    // OTLP/protobuf carries names as plain UTF-8 strings, so finding one in the bytes is enough here.
    private static bool Contains(byte[] body, string text) => body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;
}
