namespace SoraEvents.Cli.Tests.Dlq;

/// <summary>
/// Each replay filter takes exactly the messages it names: crafted dead letters (MassTransit's fault headers) in
/// two error queues of a virtual host of the test's own; everything else stays in its error queue, unchanged
/// and in order.
/// </summary>
[Collection(DeadLetterCollection.Name)]
public sealed class ReplayFilterTests(RabbitMqFixture broker) : IAsyncLifetime
{
    private static readonly Guid Job1 = Guid.Parse("11111111-1111-1111-1111-111111111111");
    private static readonly Guid Job2 = Guid.Parse("22222222-2222-2222-2222-222222222222");
    private static readonly Guid Job3 = Guid.Parse("33333333-3333-3333-3333-333333333333");
    private static readonly Guid Job4 = Guid.Parse("44444444-4444-4444-4444-444444444444");

    // In queue order. "plain" has no envelope: only its AMQP message id and the JSON's jobId identify it.
    private static readonly DeadLetterSpec Old = new("old", "orders", Job1, "System.Net.Sockets.SocketException", "Connection refused", DeadLetters.Now.AddDays(-2));
    private static readonly DeadLetterSpec Gateway = new("gateway", "orders", Job2, "SoraEvents.GatewayUnavailableException", "pixazo: gateway unavailable", DeadLetters.Now.AddMinutes(-10));
    private static readonly DeadLetterSpec Plain = new("plain", "orders", Job3, "System.TimeoutException", "The operation has timed out.", DeadLetters.Now.AddMinutes(-5), Envelope: false);
    private static readonly DeadLetterSpec Recent = new("recent", "orders", Job1, "System.Net.Sockets.SocketException", "Connection refused", DeadLetters.Now.AddMinutes(-1));
    private static readonly DeadLetterSpec Payment = new("payment", "payments", Job4, "System.Net.Sockets.SocketException", "Connection refused", DeadLetters.Now);

    private static readonly DeadLetterSpec[] All = [Old, Gateway, Plain, Recent, Payment];

    private Uri amqp = null!;

    public async Task InitializeAsync()
    {
        amqp = await broker.CreateVirtualHostAsync();
        await DeadLetters.PutAsync(amqp, All);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public Task Queue_filter_takes_only_that_error_queue() =>
        AssertReplayTakesAsync([Payment], "--queue", "payments_error");

    [Fact]
    public Task Queue_filter_accepts_the_source_queue_name_and_repeats() =>
        AssertReplayTakesAsync(All, "--queue", "orders", "--queue", "payments");

    [Fact]
    public Task Message_id_filter_takes_only_that_message() =>
        AssertReplayTakesAsync([Gateway], "--queue", "orders", "--queue", "payments", "--message-id", Gateway.MessageId);

    [Fact]
    public Task Message_id_filter_finds_a_plain_json_message_by_its_amqp_message_id() =>
        AssertReplayTakesAsync([Plain], "--queue", "orders", "--message-id", Plain.MessageId.ToUpperInvariant());

    [Fact]
    public Task Job_id_filter_takes_every_message_of_that_job_and_no_other() =>
        AssertReplayTakesAsync([Old, Recent], "--queue", "orders", "--queue", "payments", "--job-id", Job1.ToString());

    [Fact]
    public Task Job_id_filter_reads_the_job_id_of_a_plain_json_message() =>
        AssertReplayTakesAsync([Plain], "--queue", "orders", "--job-id", Job3.ToString());

    [Fact]
    public Task Exception_contains_filter_matches_the_fault_message_ignoring_case() =>
        AssertReplayTakesAsync([Old, Recent, Payment], "--queue", "orders", "--queue", "payments", "--exception-contains", "connection REFUSED");

    [Fact]
    public Task Exception_contains_filter_matches_the_exception_type() =>
        AssertReplayTakesAsync([Plain], "--queue", "orders", "--queue", "payments", "--exception-contains", "TimeoutException");

    [Fact]
    public Task Since_filter_with_an_age_takes_only_faults_that_recent() =>
        AssertReplayTakesAsync([Gateway, Plain, Recent], "--queue", "orders", "--since", "30m");

    [Fact]
    public Task Since_filter_with_a_time_takes_only_faults_at_or_after_it() =>
        AssertReplayTakesAsync([Plain, Recent, Payment], "--queue", "orders", "--queue", "payments",
            "--since", DeadLetters.Now.AddMinutes(-6).ToString("O"));

    [Fact]
    public Task Limit_moves_at_most_that_many_in_queue_order() =>
        AssertReplayTakesAsync([Old, Gateway], "--queue", "orders", "--queue", "payments", "--limit", "2");

    [Fact]
    public Task Limit_counts_only_matching_messages() =>
        AssertReplayTakesAsync([Old, Recent], "--queue", "orders", "--exception-contains", "refused", "--limit", "2");

    [Fact]
    public Task Filters_combine_so_every_one_must_hold() =>
        AssertReplayTakesAsync([Recent], "--queue", "orders", "--job-id", Job1.ToString(), "--since", "30m");

    [Fact]
    public async Task Filter_that_matches_nothing_moves_nothing_and_says_so()
    {
        var result = await Soraevents.OkAsync("dlq", "replay", "--queue", "orders", "--job-id", Guid.NewGuid().ToString(), "--amqp", amqp.AbsoluteUri);

        Assert.Contains("no message matched: 4 messages read, all stay in place", result.Out);
        Assert.Equal(0u, await DeadLetters.CountAsync(amqp, "orders"));
        Assert.Equal([Old.MessageId, Gateway.MessageId, Plain.MessageId, Recent.MessageId], await DeadLetters.IdsAsync(amqp, "orders_error"));
    }

    [Fact]
    public async Task Replayed_message_keeps_id_body_content_type_and_headers_but_not_its_fault()
    {
        var before = (await DeadLetters.PeekAsync(amqp, "orders_error")).Single(m => m.MessageId == Gateway.MessageId);

        await Soraevents.OkAsync("dlq", "replay", "--queue", "orders", "--message-id", Gateway.MessageId, "--amqp", amqp.AbsoluteUri);

        var after = Assert.Single(await DeadLetters.PeekAsync(amqp, "orders"));
        Assert.Equal(Gateway.MessageId, after.MessageId);
        Assert.Equal(before.Body, after.Body);
        Assert.Equal("application/vnd.masstransit+json", after.ContentType);
        Assert.Equal("corr-gateway", after.CorrelationId);
        Assert.True(after.Persistent);
        Assert.Equal("acme", after.Headers["x-tenant"]);
        Assert.Equal("worker-7", after.Headers["MT-Host-MachineName"]);
        Assert.DoesNotContain(after.Headers.Keys, k => k.StartsWith("MT-Fault-", StringComparison.Ordinal) || k == "MT-Reason");
    }

    [Fact]
    public async Task Json_output_lists_each_moved_message_with_its_destination()
    {
        var result = await Soraevents.OkAsync("dlq", "replay", "--queue", "orders", "--job-id", Job1.ToString(), "--json", "--amqp", amqp.AbsoluteUri);

        using var json = System.Text.Json.JsonDocument.Parse(result.Out);
        Assert.Equal(2, json.RootElement.GetProperty("moved").GetInt32());
        Assert.Equal(4, json.RootElement.GetProperty("scanned").GetInt32());
        var messages = json.RootElement.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal([Old.MessageId, Recent.MessageId], messages.Select(m => m.GetProperty("messageId").GetString()));
        Assert.All(messages, m => Assert.Equal("orders", m.GetProperty("to").GetString()));
        Assert.All(messages, m => Assert.Equal("moved", m.GetProperty("result").GetString()));
    }

    /// <summary>
    /// Runs the replay and checks that exactly <paramref name="expected"/> moved to their source queues and that
    /// every other message is still in its error queue, in order, with the same body and headers.
    /// </summary>
    private async Task AssertReplayTakesAsync(DeadLetterSpec[] expected, params string[] filter)
    {
        var before = new Dictionary<string, IReadOnlyList<QueuedMessage>>
        {
            ["orders_error"] = await DeadLetters.PeekAsync(amqp, "orders_error"),
            ["payments_error"] = await DeadLetters.PeekAsync(amqp, "payments_error"),
        };

        var result = await Soraevents.OkAsync(["dlq", "replay", .. filter, "--amqp", amqp.AbsoluteUri]);

        foreach (var m in expected) Assert.Contains(m.MessageId, result.Out);
        foreach (var source in new[] { "orders", "payments" })
        {
            Assert.Equal(expected.Where(m => m.SourceQueue == source).Select(m => m.MessageId), await DeadLetters.IdsAsync(amqp, source));
            var left = before[source + "_error"].Where(m => expected.All(e => e.MessageId != m.MessageId)).ToList();
            var now = await DeadLetters.PeekAsync(amqp, source + "_error");
            Assert.Equal(left.Select(m => m.MessageId), now.Select(m => m.MessageId));
            Assert.Equal(left.Select(m => m.Body), now.Select(m => m.Body));
            Assert.Equal(left.Select(m => string.Join(",", m.Headers.OrderBy(h => h.Key))), now.Select(m => string.Join(",", m.Headers.OrderBy(h => h.Key))));
        }
    }
}
