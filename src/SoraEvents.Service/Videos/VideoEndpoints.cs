using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using SoraEvents.Service.ApiAccess;
using SoraEvents.Service.Jobs;
using SoraEvents.Service.Messaging;
using SoraEvents.Service.Submission;

namespace SoraEvents.Service.Videos;

/// <summary>
/// OpenAI's Videos API under <c>/v1/videos</c>, plus SoraEvents' extensions. Every route sees only the caller's
/// own jobs (admins see all); another caller's job is answered as unknown.
/// </summary>
public static class VideoEndpoints
{
    public static IEndpointRouteBuilder MapVideos(this IEndpointRouteBuilder app)
    {
        // Problems are written by hand (ApiProblems), so each route names the ones it can answer for the OpenAPI document.
        var videos = app.MapGroup(ApiProblems.PathPrefix).WithTags("Videos").RequireApiCaller().AddEndpointFilter(WithCallerScope)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        videos.MapPost("/", CreateAsync).WithName("CreateVideo").WithSummary("Asks for a video (JSON or multipart/form-data); publishes GenerateVideo.")
            .Accepts<CreateVideoRequest>("application/json", "multipart/form-data")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        videos.MapGet("/", ListAsync).WithName("ListVideos").WithSummary("Lists the caller's videos, newest first, a page at a time.");
        videos.MapGet("/{id}", GetAsync).WithName("GetVideo").WithSummary("Shows a video job: its status, progress and, once done, its video.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        videos.MapDelete("/{id}", VideoDeletion.DeleteAsync).WithName("DeleteVideo")
            .WithSummary("Removes an ended video and its archived copy, or cancels a job no gateway has yet.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        videos.MapGet("/{id}/content", VideoContent.GetAsync).WithName("GetVideoContent").WithSummary("The MP4, from the archive or streamed from the gateway.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status502BadGateway);
        videos.MapPost("/{id}/remix", Unsupported("Remixing")).WithName("RemixVideo");
        videos.MapPost("/edits", Unsupported("Editing videos")).WithName("EditVideo");
        videos.MapPost("/extensions", Unsupported("Extending videos")).WithName("ExtendVideo");
        videos.MapPost("/characters", Unsupported("Characters")).WithName("CreateCharacter");
        videos.MapGet("/characters/{characterId}", Unsupported("Characters")).WithName("GetCharacter");
        return app;
    }

    /// <summary>Every log line of an API request names its caller.</summary>
    private static async ValueTask<object?> WithCallerScope(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var logger = context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(VideoEndpoints));
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["Caller"] = context.HttpContext.User.CallerName() });
        return await next(context);
    }

    private static Delegate Unsupported(string what) => () => ApiProblems.Create(StatusCodes.Status400BadRequest, "Not offered",
        $"{what} is not offered: neither gateway (Pixazo, APIXO) supports it. Create a new video instead.", code: "unsupported_operation");

    /// <summary>
    /// Stores the job with its due time, then publishes <c>GenerateVideo</c>. Once stored the job is certain to run:
    /// should the broker not confirm the command, the dispatcher submits it when it is due, so the answer is 202
    /// either way. Only a store that fails gets 503, and the id in that answer makes the retry safe.
    /// </summary>
    internal static async Task<Results<Accepted<VideoObject>, ProblemHttpResult>> CreateAsync(
        HttpRequest http,
        ClaimsPrincipal user,
        [FromHeader(Name = IdempotencyKeys.Header)] string? idempotencyKey,
        RequestChecks checks,
        ModelCatalog models,
        VideoObjects views,
        IJobStore store,
        BoundedPublisher publisher,
        IOptions<BusOptions> bus,
        IOptions<SubmissionOptions> options,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken ct)
    {
        var logger = loggers.CreateLogger(typeof(VideoEndpoints));
        var (request, unreadable) = await VideoRequestReader.ReadAsync(http, ct);
        if (request is null) return unreadable!;

        var caller = user.CallerName();
        var jobId = request.JobId ?? Guid.NewGuid();
        if (idempotencyKey is not null)
        {
            if (IdempotencyKeys.Problem(idempotencyKey) is { } keyProblem) return ApiProblems.Invalid(IdempotencyKeys.Header, keyProblem);
            var keyed = IdempotencyKeys.JobIdFor(caller, idempotencyKey);
            if (request.JobId is { } named && named != keyed)
                return ApiProblems.Invalid("jobId", $"jobId {named} and the {IdempotencyKeys.Header} header name different jobs; send only one of them.");
            jobId = keyed;
        }

        string? model = null;
        if (request.Model is { } requested && (model = models.Resolve(requested)) is null)
            return ApiProblems.Invalid("model", models.Refusal(requested), "model_not_found");

        var command = request.ToCommand(jobId, model);
        var problems = await checks.FindProblemsAsync(command, ct);
        if (problems.Count > 0)
            return ApiProblems.Invalid(problems.ToDictionary(p => CreateVideoRequest.FieldName(p.Key), p => p.Value));

        Job job;
        try
        {
            var now = time.GetUtcNow();
            // The job is stored with its due time in one statement, before anything is published: should the
            // command never reach the broker (it is down, or this process dies first), any instance's dispatcher
            // submits the job once due; if the command does arrive, the atomic claim makes one of the two a no-op.
            job = await store.CreateIfAbsentAsync(command, caller, now, now + options.Value.OrphanGrace, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            logger.LogError(ex, "Storing job {JobId} failed", jobId);
            var retry = idempotencyKey is null ? $"with \"jobId\":\"{jobId}\"" : $"with the same {IdempotencyKeys.Header}";
            return ApiProblems.Create(StatusCodes.Status503ServiceUnavailable, "Try again later",
                $"The job store did not answer, so the job may not have been stored. Retry {retry}: a retry never creates a second job.",
                extensions: new Dictionary<string, object?> { ["jobId"] = jobId });
        }

        var retryWith = idempotencyKey is null ? "jobId" : IdempotencyKeys.Header;
        if (!string.Equals(job.Caller, caller, StringComparison.Ordinal) || job.DeletedAt is not null)
            return ApiProblems.Create(StatusCodes.Status409Conflict, "Id already used",
                $"The id {job.JobId} is already used by another video; use a new {retryWith}.", "jobId", "id_in_use");

        var differing = RequestDifferences.Between(job.Request, command).Select(CreateVideoRequest.FieldName).ToList();
        if (differing.Count > 0)
            return ApiProblems.Create(StatusCodes.Status409Conflict, "Another request made this job",
                $"Video {job.JobId} was created by a request that differs in: {string.Join(", ", differing)}. " +
                $"Repeat that request to get the video, or use a new {retryWith} for a new one.", differing[0], "idempotency_conflict",
                new Dictionary<string, object?> { ["jobId"] = job.JobId, ["differingFields"] = differing });

        if (job.Status == JobStatus.Queued && !await publisher.TryPublishAsync(job.Request, bus.Value.PublishTimeout, ct))
            logger.LogWarning("GenerateVideo for job {JobId} was not confirmed by the broker; the job is stored and the dispatcher submits it once due", job.JobId);

        return TypedResults.Accepted($"{ApiProblems.PathPrefix}/{job.JobId}", views.From(job));
    }

    internal static async Task<Results<Ok<VideoPage>, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal user, IJobStore store, VideoObjects views, CancellationToken ct,
        string? after = null, string? order = null, string? status = null, int limit = 20)
    {
        IReadOnlyList<JobStatus>? statuses = null;
        if (status is not null && (statuses = VideoObjects.StatusesOf(status)) is null)
            return ApiProblems.Invalid("status", $"status '{status}' is not one of queued, in_progress, completed, failed.");
        if (limit is < 1 or > 100) return ApiProblems.Invalid("limit", $"limit must be 1 to 100; {limit} is not.");
        if (order is not (null or "asc" or "desc")) return ApiProblems.Invalid("order", $"order must be asc or desc; '{order}' is not.");

        JobPagePosition? position = null;
        if (after is not null)
        {
            var cursor = Guid.TryParse(after, out var afterId) ? await store.FindAsync(afterId, ct) : null;
            if (cursor is null || !user.MaySee(cursor.Caller))
                return ApiProblems.Invalid("after", $"after '{after}' is not the id of one of your videos; pass the last_id of the previous page.");
            position = new JobPagePosition(cursor.CreatedAt, cursor.JobId);
        }

        var query = new JobPageQuery(user.IsAdmin() ? null : user.CallerName(), statuses, position, order != "asc", limit + 1);
        var jobs = await store.ListPageAsync(query, ct);
        var page = jobs.Take(limit).Select(views.From).ToList();
        return TypedResults.Ok(new VideoPage(page, page.FirstOrDefault()?.Id, page.LastOrDefault()?.Id, jobs.Count > limit));
    }

    internal static async Task<Results<Ok<VideoObject>, ProblemHttpResult>> GetAsync(
        string id, ClaimsPrincipal user, IJobStore store, VideoObjects views, CancellationToken ct)
    {
        var job = await FindVisibleAsync(id, user, store, ct);
        return job is null ? ApiProblems.NotFound(id) : TypedResults.Ok(views.From(job));
    }

    /// <summary>The job <paramref name="id"/> names, unless it is unknown, deleted, or another caller's.</summary>
    internal static async Task<Job?> FindVisibleAsync(string id, ClaimsPrincipal user, IJobStore store, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var jobId)) return null;
        var job = await store.FindAsync(jobId, ct);
        return job is null || job.DeletedAt is not null || !user.MaySee(job.Caller) ? null : job;
    }
}
