using System.Diagnostics;

namespace SoraEvents.Cli.Tests.Dlq;

/// <summary>
/// A replay stopped halfway loses nothing: every message is back in its source queue or still in its error
/// queue. Killed hard (SIGKILL of the real <c>soraevents</c> process) the broker gives back what was
/// unacknowledged; at worst the one message between its confirm and its acknowledgement is in both.
/// </summary>
[Collection(DeadLetterCollection.Name)]
public sealed class InterruptedReplayTests(RabbitMqFixture broker)
{
    private const int Messages = 200;

    /// <summary>
    /// Slow enough that the replay is still going when the test stops it: at 20 a second the rest of the queue
    /// takes about nine seconds, a pause no loaded machine takes between "enough moved" and the kill.
    /// </summary>
    private const string Rate = "20";

    [Fact]
    public async Task Replay_process_killed_halfway_loses_no_message()
    {
        var (amqp, ids) = await FillAsync();
        var output = new List<string>();
        using var process = Process.Start(new ProcessStartInfo("dotnet",
        [
            Path.Combine(AppContext.BaseDirectory, "soraevents-cli", "soraevents.dll"), "dlq", "replay", "--queue", "orders", "--rate", Rate, "--amqp", amqp.AbsoluteUri,
        ])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.Add(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.Add(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        await Eventually.TrueAsync(async () => process.HasExited || await DeadLetters.CountAsync(amqp, "orders") >= 20,
            TimeSpan.FromSeconds(30), "20 messages replayed");
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();

        var movedBeforeKill = await DeadLetters.CountAsync(amqp, "orders");
        Assert.True(movedBeforeKill is >= 20 and < Messages, $"the kill should land halfway; {movedBeforeKill} had moved:\n{string.Join('\n', output)}");
        await Eventually.TrueAsync(async () => await DeadLetters.CountAsync(amqp, "orders") + await DeadLetters.CountAsync(amqp, "orders_error") >= Messages,
            TimeSpan.FromSeconds(30), "the broker giving back what the killed replay held");
        var source = await DeadLetters.IdsAsync(amqp, "orders");
        var error = await DeadLetters.IdsAsync(amqp, "orders_error");
        Assert.Equal(ids.Order(), source.Concat(error).Distinct().Order()!);
        Assert.InRange(source.Count + error.Count, Messages, Messages + 1);
        Assert.True(error.Count > 0, "some messages must still be in the error queue");
    }

    [Fact]
    public async Task Replay_cancelled_halfway_moves_some_and_leaves_the_rest_exactly_once()
    {
        var (amqp, ids) = await FillAsync();
        using var cancel = new CancellationTokenSource();

        var replay = Soraevents.RunWithInputAsync("", cancel.Token, "dlq", "replay", "--queue", "orders", "--rate", Rate, "--amqp", amqp.AbsoluteUri);
        await Eventually.TrueAsync(async () => replay.IsCompleted || await DeadLetters.CountAsync(amqp, "orders") >= 10,
            TimeSpan.FromSeconds(30), "10 messages replayed");
        await cancel.CancelAsync();
        var result = await replay;

        Assert.Equal(130, result.ExitCode);
        Assert.Contains("cancelled after moving", result.Error);
        var source = await DeadLetters.IdsAsync(amqp, "orders");
        var error = await DeadLetters.IdsAsync(amqp, "orders_error");
        Assert.InRange(source.Count, 10, Messages - 1);
        Assert.Equal(Messages, source.Count + error.Count); // a graceful stop leaves no duplicate
        Assert.Equal(ids.Order(), source.Concat(error).Order()!);
        // What moved is the head of the queue; the rest keeps its order.
        Assert.Equal(ids.Skip(source.Count), error);
    }

    private async Task<(Uri Amqp, List<string> Ids)> FillAsync()
    {
        var amqp = await broker.CreateVirtualHostAsync();
        var specs = Enumerable.Range(0, Messages)
            .Select(i => new DeadLetterSpec($"interrupted-{i}-{Guid.NewGuid()}", "orders", Guid.NewGuid(), "System.Net.Sockets.SocketException",
                "Connection refused", DeadLetters.Now))
            .ToList();
        await DeadLetters.PutAsync(amqp, specs);
        return (amqp, specs.Select(s => s.MessageId).ToList());
    }
}
