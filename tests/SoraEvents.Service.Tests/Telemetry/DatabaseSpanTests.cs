using MassTransit.Testing;
using SoraEvents.Contracts;
using SoraEvents.Service.Tests.Support;

namespace SoraEvents.Service.Tests.Telemetry;

public sealed class DatabaseSpanTests : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private readonly PostgresFixture postgres;
    private readonly HarnessFactory factory = new();
    private readonly SpanRecorder recorder;

    public DatabaseSpanTests(PostgresFixture postgres)
    {
        this.postgres = postgres;
        recorder = new SpanRecorder(factory);
    }

    public async Task InitializeAsync()
    {
        factory.Settings["Store:Provider"] = "Postgres";
        factory.Settings["Store:ConnectionString"] = postgres.ConnectionString;
        await factory.Harness.Start();
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task A_submission_against_postgres_traces_its_database_commands_in_the_same_trace()
    {
        var command = new GenerateVideo(Guid.NewGuid(), "traced to the database");
        await factory.Harness.Bus.Publish(command);
        Assert.True(await factory.Harness.Published.Any<VideoSubmitted>(m => m.Context.Message.JobId == command.JobId));

        await Eventually.TrueAsync(() => Task.FromResult(recorder.Spans.Any(s => s.OperationName == "submit" && IsFor(s, command.JobId))),
            TimeSpan.FromSeconds(30), "the submit span");
        var submit = recorder.Spans.First(s => s.OperationName == "submit" && IsFor(s, command.JobId));
        // The submission is recorded in the store inside the submit span, so its commands are children of it.
        await Eventually.TrueAsync(() => Task.FromResult(recorder.Spans.Any(s => s.Source.Name == "Npgsql" && s.ParentSpanId == submit.SpanId)),
            TimeSpan.FromSeconds(30), "a database span under the submit span");
        Assert.All(recorder.Spans.Where(s => s.Source.Name == "Npgsql" && s.ParentSpanId == submit.SpanId),
            s => Assert.Equal(submit.TraceId, s.TraceId));
    }

    private static bool IsFor(System.Diagnostics.Activity span, Guid jobId) =>
        Equals(span.GetTagItem("soraevents.job_id"), jobId);
}
