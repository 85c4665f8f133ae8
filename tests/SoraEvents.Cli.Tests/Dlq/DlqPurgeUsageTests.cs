using SoraEvents.Cli.Tests.Support;

namespace SoraEvents.Cli.Tests.Dlq;

/// <summary>dlq purge without a queue: a usage error before any broker is contacted, never a silent exit 0.</summary>
public sealed class DlqPurgeUsageTests
{
    // Nothing listens here: had the command got as far as the broker, it would say so instead.
    private static readonly string[] NoBroker = ["--amqp", "amqp://guest:guest@127.0.0.1:1/"];

    [Theory]
    [InlineData("--yes")]
    [InlineData("--yes", "--json")]
    [InlineData("--yes", "--queue", "")]
    public async Task Purge_without_a_queue_fails_with_one_line_naming_the_option(params string[] options)
    {
        string[] args = ["dlq", "purge", .. options, .. NoBroker];

        var result = await Soraevents.FailsAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--queue is required", result.Error);
        Assert.Equal("", result.Out);
    }

    [Fact]
    public async Task Purge_without_a_queue_does_not_ask_for_confirmation()
    {
        var result = await Soraevents.RunWithInputAsync("y\n", CancellationToken.None, ["dlq", "purge", .. NoBroker]);

        Assert.Equal(2, result.ExitCode);
        Assert.DoesNotContain("Delete", result.Error);
    }
}
