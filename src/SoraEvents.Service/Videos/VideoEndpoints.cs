using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using SoraEvents.Service.ApiAccess;
using SoraEvents.Service.Jobs;
using SoraEvents.Service.Messaging;
using SoraEvents.Service.Submission;

namespace SoraEvents.Service.Videos;

public static class VideoEndpoints
{
    public static IEndpointRouteBuilder MapVideos(this IEndpointRouteBuilder app)
    {
        var videos = app.MapGroup("/v1/videos").WithTags("Videos").RequireApiCaller();
        videos.MapPost("/", CreateAsync).WithName("CreateVideo").WithSummary("Asks for a video; publishes GenerateVideo.");
        videos.MapGet("/{jobId:guid}", GetAsync).WithName("GetVideo").WithSummary("Shows a job's status and, once done, its video.");
        videos.MapGet("/", ListAsync).WithName("ListVideos").WithSummary("Lists the most recent jobs, optionally by status.");
        return app;
    }

    /// <summary>
    /// Stores the job with its due time, then publishes <c>GenerateVideo</c>. Once stored the job is certain to run:
    /// should the broker not confirm the command, the dispatcher submits it when it is due, so the answer is 202
    /// either way. Only a store that fails gets 503, and the job id in that answer makes the retry safe.
    /// </summary>
    internal static async Task<Results<Accepted<VideoAccepted>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateVideoRequest request,
        [FromHeader(Name = IdempotencyKeys.Header)] string? idempotencyKey,
        RequestChecks checks,
        IJobStore store,
        BoundedPublisher publisher,
        IOptions<SubmissionOptions> options,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken ct)
    {
        var logger = loggers.CreateLogger(typeof(VideoEndpoints));
        var jobId = request.JobId ?? Guid.NewGuid();
        if (idempotencyKey is not null)
        {
            if (IdempotencyKeys.Problem(idempotencyKey) is { } keyProblem)
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [IdempotencyKeys.Header] = [keyProblem] });
            var keyed = IdempotencyKeys.JobIdFor(IdempotencyKeys.AnonymousCaller, idempotencyKey);
            if (request.JobId is { } named && named != keyed)
                return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["jobId"] = [$"jobId {named} and the {IdempotencyKeys.Header} header name different jobs; send only one of them."],
                });
            jobId = keyed;
        }

        var command = request.ToCommand(jobId);
        var problems = await checks.FindProblemsAsync(command, ct);
        if (problems.Count > 0) return TypedResults.ValidationProblem(problems);

        Job job;
        try
        {
            var now = time.GetUtcNow();
            // The job is stored with its due time in one statement, before anything is published: should the
            // command never reach the broker (it is down, or this process dies first), any instance's dispatcher
            // submits the job once due; if the command does arrive, the atomic claim makes one of the two a no-op.
            job = await store.CreateIfAbsentAsync(command, now, now + options.Value.OrphanGrace, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            logger.LogError(ex, "Storing job {JobId} failed", jobId);
            var retry = idempotencyKey is null ? $"with \"jobId\":\"{jobId}\"" : $"with the same {IdempotencyKeys.Header}";
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Try again later",
                detail: $"The job store did not answer, so the job may not have been stored. Retry {retry}: a retry never creates a second job.",
                extensions: new Dictionary<string, object?> { ["jobId"] = jobId });
        }

        var differing = RequestDifferences.Between(job.Request, command);
        if (differing.Count > 0)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Another request made this job",
                detail: $"Job {job.JobId} was created by a request that differs in: {string.Join(", ", differing)}. " +
                        $"Repeat that request to get the job, or use a new {(idempotencyKey is null ? "jobId" : IdempotencyKeys.Header)} for a new one.",
                extensions: new Dictionary<string, object?> { ["jobId"] = job.JobId, ["differingFields"] = differing });

        if (job.Status == JobStatus.Queued && !await publisher.TryPublishAsync(job.Request, ct))
            logger.LogWarning("GenerateVideo for job {JobId} was not confirmed by the broker; the job is stored and the dispatcher submits it once due", job.JobId);

        var location = $"/v1/videos/{job.JobId}";
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
