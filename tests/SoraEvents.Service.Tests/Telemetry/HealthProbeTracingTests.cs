using System.Diagnostics;
using SoraEvents.Service.Tests.Support;

namespace SoraEvents.Service.Tests.Telemetry;

public sealed class HealthProbeTracingTests : IAsyncLifetime
{
    private readonly HarnessFactory factory = new();
    private readonly SpanRecorder recorder;

    public HealthProbeTracingTests() => recorder = new SpanRecorder(factory);

    public async Task InitializeAsync() => await factory.Harness.Start();

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task Health_probes_leave_no_trace_while_an_api_request_does()
    {
        using var http = factory.CreateClient();
        await http.GetAsync("/health/live");
        await http.GetAsync("/health/ready");
        var videoPath = $"/v1/videos/{Guid.NewGuid()}";
        await http.GetAsync(videoPath);

        // The API request's span ends after both probes' did, so once it is in, theirs would be too.
        await Eventually.TrueAsync(() => Task.FromResult(ServerSpans().Any(s => Names(s, videoPath))),
            TimeSpan.FromSeconds(30), "the API request's span");
        Assert.DoesNotContain(ServerSpans(), s => Names(s, "/health"));
    }

    private IEnumerable<Activity> ServerSpans() => recorder.Spans.Where(s => s.Kind == ActivityKind.Server);

    private static bool Names(Activity span, string path) =>
        span.TagObjects.Any(t => t.Value is string value && value.Contains(path, StringComparison.Ordinal));
}
