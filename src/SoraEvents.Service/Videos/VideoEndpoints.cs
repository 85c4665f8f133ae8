using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using SoraEvents.Service.Jobs;
using SoraEvents.Service.Messaging;
using SoraEvents.Service.Submission;

namespace SoraEvents.Service.Videos;

public static class VideoEndpoints
{
    public static IEndpointRouteBuilder MapVideos(this IEndpointRouteBuilder app)
    {
        var videos = app.MapGroup("/v1/videos").WithTags("Videos");
        videos.MapPost("/", CreateAsync).WithName("CreateVideo").WithSummary("Asks for a video; publishes GenerateVideo.");
        videos.MapGet("/{jobId:guid}", GetAsync).WithName("GetVideo").WithSummary("Shows a job's status and, once done, its video.");
        videos.MapGet("/", ListAsync).WithName("ListVideos").WithSummary("Lists the most recent jobs, optionally by status.");
        return app;
    }

    internal static async Task<Results<Accepted<VideoAccepted>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateVideoRequest request,
        RequestChecks checks,
        IJobStore store,
        BoundedPublisher publisher,
        IOptions<SubmissionOptions> options,
        TimeProvider time,
        CancellationToken ct)
    {
        var command = request.ToCommand();
        var problems = await checks.FindProblemsAsync(command, ct);
        if (problems.Count > 0) return TypedResults.ValidationProblem(problems);

        // Stored before publishing, so GET answers at once and a repeated POST with the same id is recognised.
        var job = await store.CreateIfAbsentAsync(command, time.GetUtcNow(), ct);
        var location = $"/v1/videos/{job.JobId}";
        // Should this process die before the broker has the command, the due time lets any instance's
        // dispatcher submit the job anyway; if the command does arrive, the atomic claim makes one of them a no-op.
        if (job.Status == JobStatus.Queued) await store.DeferAsync(job.JobId, time.GetUtcNow() + options.Value.OrphanGrace, ct);
        if (job.Status == JobStatus.Queued && !await publisher.TryPublishAsync(job.Request, ct))
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Try again later",
                detail: "The request could not be handed to the message broker; retrying with the same jobId is safe.");

        return TypedResults.Accepted(location, new VideoAccepted(job.JobId, job.Status.ToText(), location));
    }

    internal static async Task<Results<Ok<IReadOnlyList<VideoView>>, ProblemHttpResult>> ListAsync(
        IJobStore store, CancellationToken ct, string? status = null, int limit = 50)
    {
        JobStatus? wanted = null;
        if (status is not null)
        {
            try
            {
                wanted = JobStatuses.Parse(status);
            }
            catch (FormatException)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unknown status",
                    detail: $"status '{status}' is not one of queued, submitting, submitted, completed, failed.");
            }
        }
        if (limit is < 1 or > 1000)
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad limit", detail: "limit must be 1 to 1000.");
        var jobs = await store.ListAsync(wanted, limit, ct);
        return TypedResults.Ok<IReadOnlyList<VideoView>>(jobs.Select(VideoView.From).ToList());
    }

    internal static async Task<Results<Ok<VideoView>, ProblemHttpResult>> GetAsync(Guid jobId, IJobStore store, CancellationToken ct)
    {
        var job = await store.FindAsync(jobId, ct);
        return job is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown job", detail: $"No job has the id {jobId}.")
            : TypedResults.Ok(VideoView.From(job));
    }
}
