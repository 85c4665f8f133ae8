namespace SoraEvents.Cli.Tests;

/// <summary>Every failure is a non-zero exit code and one line on stderr, never a stack trace.</summary>
public sealed class ErrorReportingTests
{
    private const string ClosedBroker = "amqp://guest:secret@127.0.0.1:1/";
    private const string ClosedApi = "http://127.0.0.1:1";

    [Theory]
    [InlineData("dlq", "list")]
    [InlineData("dlq", "show", "some-id")]
    [InlineData("dlq", "replay", "--dry-run")]
    [InlineData("dlq", "purge", "--queue", "x", "--yes")]
    [InlineData("watch")]
    public async Task Unreachable_broker_fails_with_one_line_and_no_password(params string[] command)
    {
        var result = await Soraevents.FailsAsync([.. command, "--amqp", ClosedBroker]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("cannot reach RabbitMQ at amqp://guest:***@127.0.0.1:1/", result.Error);
        Assert.DoesNotContain("secret", result.Error);
    }

    [Fact]
    public async Task Unreachable_api_fails_with_one_line()
    {
        var result = await Soraevents.FailsAsync("jobs", "show", Guid.NewGuid().ToString(), "--api", ClosedApi);
        Assert.Contains("cannot reach the SoraEvents API at http://127.0.0.1:1/", result.Error);
        await Soraevents.FailsAsync("jobs", "list", "--api", ClosedApi);
        await Soraevents.FailsAsync("submit", "--prompt", "a fox", "--api", ClosedApi);
    }

    [Theory]
    [InlineData("jobs", "show", "not-a-guid")]
    [InlineData("dlq", "replay", "--job-id", "not-a-guid", "--amqp", ClosedBroker)]
    [InlineData("dlq", "replay", "--since", "yesterday-ish")]
    [InlineData("dlq", "replay", "--limit", "0")]
    [InlineData("jobs", "list", "--status", "lost")]
    [InlineData("submit", "--seconds", "4")]
    [InlineData("submit", "--prompt", "x", "--wait", "--timeout", "soon")]
    [InlineData("submit", "--prompt", "x", "--image", "/no/such/file.png")]
    [InlineData("dlq", "list", "--amqp", "not a url")]
    [InlineData("no-such-command")]
    public async Task Bad_arguments_fail_with_exit_code_2_and_one_line(params string[] args)
    {
        var result = await Soraevents.FailsAsync(args);
        Assert.Equal(2, result.ExitCode);
    }

    [Fact]
    public async Task Help_lists_every_command_and_says_how_error_queues_are_found()
    {
        var result = await Soraevents.OkAsync("--help");
        foreach (var command in new[] { "dlq", "jobs", "submit", "watch", "--amqp", "--api", "--json" }) Assert.Contains(command, result.Out);
        Assert.Contains("AMQP cannot list queues", (await Soraevents.OkAsync("dlq", "list", "--help")).Out);
        Assert.Contains("--dry-run", (await Soraevents.OkAsync("dlq", "replay", "--help")).Out);
        Assert.Contains("Usage:", (await Soraevents.OkAsync("dlq")).Out); // a group alone shows its help
    }
}
