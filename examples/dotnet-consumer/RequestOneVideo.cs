using MassTransit;
using Microsoft.Extensions.Options;
using SoraEvents.Contracts;

namespace SoraEventsConsumer;

/// <summary>
/// Publishes one <see cref="GenerateVideo"/>, waits for its outcome, prints it and stops the service: exit code 0
/// for <see cref="VideoCompleted"/>, 1 for <see cref="VideoFailed"/>, 2 when nothing came within the patience.
/// </summary>
public sealed class RequestOneVideo(
    IBus bus,
    VideoOutcomes outcomes,
    IOptions<VideoRequestOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<RequestOneVideo> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var request = options.Value;
        var jobId = request.JobId ?? Guid.NewGuid();
        var outcome = outcomes.Expect(jobId);

        await bus.Publish(new GenerateVideo(jobId, request.Prompt, Size: request.Size, Seconds: request.Seconds,
            Metadata: new Dictionary<string, string> { ["requestedBy"] = "dotnet-consumer-example" }), stoppingToken);
        logger.LogInformation("Published GenerateVideo {JobId}", jobId);

        try
        {
            switch (await outcome.WaitAsync(request.Patience, stoppingToken))
            {
                case VideoCompleted completed:
                    Console.WriteLine($"VideoCompleted {completed.JobId} {completed.Provider} {completed.VideoUrl}");
                    Environment.ExitCode = 0;
                    break;
                case VideoFailed failed:
                    Console.WriteLine($"VideoFailed {failed.JobId} {failed.Code}: {failed.Reason}");
                    Environment.ExitCode = 1;
                    break;
            }
        }
        catch (TimeoutException)
        {
            Console.WriteLine($"No outcome for {jobId} within {request.Patience}");
            Environment.ExitCode = 2;
        }
        lifetime.StopApplication();
    }
}
