using RabbitMQ.Client;

// The least a webhook receiver can do and still keep the promise "2xx only once the broker has it": read the
// body, publish it persistent to a durable queue on a channel with publisher confirms, answer 200 after the
// confirm (503 when it does not come within 5 s). No token check, no JSON check, no framework on the bus.
//
//   Baseline__AmqpUrl   amqp://guest:guest@127.0.0.1:5672/<vhost>   (required)
//   Baseline__Queue     queue to publish to (default baseline-callbacks; declared durable at start)
//   Baseline__StoreFile a SQLite file with the service's schema: when set, the bare pipeline (BarePipeline) also
//                       works the queue off, ending each job in that store and publishing its VideoCompleted
//   --urls              where Kestrel listens
var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);

var amqpUrl = builder.Configuration["Baseline:AmqpUrl"]
    ?? throw new InvalidOperationException("Baseline:AmqpUrl (env Baseline__AmqpUrl) is required.");
var queue = builder.Configuration["Baseline:Queue"] ?? "baseline-callbacks";

var connection = await new ConnectionFactory { Uri = new Uri(amqpUrl), ClientProvidedName = "soraevents-bench-baseline" }
    .CreateConnectionAsync();
// Confirms tracked by the client: BasicPublishAsync completes when the broker has acked the message.
var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
    publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
if (builder.Configuration["Baseline:StoreFile"] is { Length: > 0 } storeFile)
    await SoraEvents.Bench.Baseline.BarePipeline.StartAsync(connection, queue, storeFile);

var app = builder.Build();
const int MaxBodyBytes = 64 * 1024;
var confirmTimeout = TimeSpan.FromSeconds(5);

app.MapPost("/webhooks/{provider}/{jobId:guid}", async (string provider, Guid jobId, HttpRequest request, CancellationToken ct) =>
{
    using var body = new MemoryStream();
    await request.Body.CopyToAsync(body, ct);
    if (body.Length > MaxBodyBytes) return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);

    var properties = new BasicProperties { Persistent = true, ContentType = "application/json", MessageId = jobId.ToString("D") };
    using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
    bounded.CancelAfter(confirmTimeout);
    try
    {
        await channel.BasicPublishAsync("", queue, mandatory: false, properties, body.ToArray(), bounded.Token);
    }
    catch (Exception) when (!ct.IsCancellationRequested)
    {
        return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
    }
    return Results.Ok(new BaselineAccepted(jobId, provider));
});
app.MapGet("/health", () => Results.Ok());

app.Lifetime.ApplicationStopped.Register(() =>
{
    channel.Dispose();
    connection.Dispose();
});
app.Run();

internal sealed record BaselineAccepted(Guid JobId, string Provider)
{
    public bool Received => true;
}
