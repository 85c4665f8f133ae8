using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text.Json;
using SoraEvents.Simulator.Callbacks;
using SoraEvents.Simulator.Hosting;
using SoraEvents.Simulator.Images;
using SoraEvents.Simulator.State;

namespace SoraEvents.Simulator.Apixo;

/// <summary><c>POST /api/v1/generateTask/{model}</c>: the checks the gateway makes, in its order, then queueing the task.</summary>
internal sealed class ApixoGenerateHandler(
    SimulatorOptions options,
    SimulatorState state,
    ApixoAdmission admission,
    ImageInspector images,
    GatewayAddress address,
    CallbackQueue callbacks,
    CallbackPlanner planner,
    ILogger<ApixoGenerateHandler> logger)
{
    public async Task<IResult> HandleAsync(HttpContext http, string model)
    {
        state.CountGenerateCall(ProviderNames.Apixo);
        var (taskId, refusal) = await AcceptAsync(http, model);
        if (refusal is { TaskCreated: true })
        {
            logger.LogInformation("Created APIXO task {TaskId}, then answered HTTP {HttpStatus} as asked", taskId!, refusal.HttpStatus);
            return refusal.ToResult(http.Response, state);
        }

        if (refusal is not null)
        {
            state.RecordRejection(refusal.Code);
            logger.LogInformation("Rejected an APIXO generate call for {Model} with HTTP {HttpStatus}, code {Code}: {Reason}", model, refusal.HttpStatus, refusal.Code, refusal.Message);
            return refusal.ToResult(http.Response, state);
        }

        return Results.Json(ApixoEnvelope<ApixoGenerated>.Success(new ApixoGenerated(taskId!)), ApixoJson.Options);
    }

    private async Task<(string? TaskId, ApixoRefusal? Refusal)> AcceptAsync(HttpContext http, string model)
    {
        if (admission.Admit(http.Request) is { } refused)
        {
            return (null, refused);
        }

        ApixoGenerateRequest? request;
        try
        {
            using var document = await JsonDocument.ParseAsync(http.Request.Body, default, http.RequestAborted);
            if (!ApixoGenerateParser.TryParse(document.RootElement, model, out request, out var invalid))
            {
                return (null, ApixoRefusal.Invalid(invalid));
            }
        }
        catch (JsonException ex)
        {
            return (null, ApixoRefusal.Unreadable($"Request body is not valid JSON: {ex.Message}"));
        }

        var (imageProblem, unreachable) = CheckImages(request.ImageUrls, address.BaseFor(http.Request));
        if (imageProblem is not null)
        {
            return (null, ApixoRefusal.Invalid(imageProblem));
        }

        if (request.Scenario.Refusal() is { } simulated)
        {
            return (null, simulated);
        }

        if (!TryQueue(request, unreachable, address.BaseFor(http.Request), out var task, out var untilFree))
        {
            return (null, ApixoRefusal.RateLimited(untilFree));
        }

        return (task.RequestId, request.Scenario.AnswerAfterCreating());
    }

    /// <returns>
    /// What is wrong with the images, if anything is; and whether one could not be fetched at all, which
    /// the gateway only finds out while working, so the task is accepted and fails INVALID_IMAGE_URL.
    /// </returns>
    private (string? Problem, bool Unreachable) CheckImages(IReadOnlyList<string> imageUrls, string ownBase)
    {
        var problems = new List<string>();
        var unreachable = false;
        for (var i = 0; i < imageUrls.Count; i++)
        {
            var probe = images.Probe(imageUrls[i], ownBase);
            if (probe.Problem is null)
            {
                continue;
            }

            if (probe.IsUnreachable)
            {
                unreachable = true;
            }
            else
            {
                problems.Add($"input.image_urls[{i}] {probe.Problem}");
            }
        }

        return (problems.Count > 0 ? string.Join("; ", problems) : null, unreachable);
    }

    /// <summary>Queues the task unless the concurrent-task limit is reached; then <c>untilFree</c> says when a task in flight finishes.</summary>
    private bool TryQueue(
        ApixoGenerateRequest request,
        bool imageUnreachable,
        string baseUrl,
        [NotNullWhen(true)] out SimulatedRequest? task,
        out TimeSpan untilFree)
    {
        var taskId = ApixoWire.TaskIdPrefix + RandomNumberGenerator.GetHexString(32, lowercase: true);
        var failCode = request.Scenario.FailCode ?? (imageUnreachable ? ApixoFailCodes.InvalidImageUrl : null);
        var wantsCallback = request.CallbackUrl is not null && !request.Scenario.NoCallback;

        // Called under the state's lock, so plans are drawn in the order tasks are accepted.
        SimulatedRequestDetails Details(int sequence)
        {
            var (plan, extraDelay) = planner.For(wantsCallback);

            return new(
                Provider: ProviderNames.Apixo,
                RequestId: taskId,
                VideoId: null,
                Kind: request.Kind,
                Prompt: request.Prompt,
                Model: request.Model,
                Size: request.Size,
                Resolution: request.Resolution,
                Seconds: request.Seconds,
                EffectiveSeconds: request.EffectiveSeconds,
                Route: request.Route,
                Images: request.ImageUrls,
                CallbackUrl: request.CallbackUrl,
                CallbackShape: null,
                ApixoCallbackShape: wantsCallback ? ShapeFor(sequence) : null,
                CallbackPlan: plan,
                CallbackExtraDelay: extraDelay,
                FinalStatus: failCode is null ? SimulatedJobStatus.Completed : SimulatedJobStatus.Failed,
                FailCode: failCode,
                Error: failCode is null ? null : ApixoFailCodes.MessageFor(failCode),
                PollingUrl: ApixoWire.StatusUrl(baseUrl, request.Model, taskId),
                MediaUrl: $"{baseUrl}/media/{taskId}/output.mp4");
        }

        if (!state.TryAdd(ProviderNames.Apixo, Details, options.CallbackDelay, options.ApixoConcurrentTasks, out task, out untilFree))
        {
            logger.LogInformation("Refused an APIXO generate call: {Limit} tasks already in flight; one frees in {UntilFree}", options.ApixoConcurrentTasks, untilFree);
            return false;
        }

        // A dropped callback is lost for good: it never reaches the dispatcher.
        if (task.CallbackPlan is { } planned && planned != CallbackPlan.Dropped)
        {
            callbacks.Enqueue(task);
        }

        logger.LogInformation("Accepted APIXO task {TaskId} ({Model}, {Kind}); it will end {Outcome}; callback: {CallbackPlan}", task.RequestId, request.Model, task.Kind, task.FailCode ?? "success", task.CallbackPlan?.ToString() ?? "none");
        return true;
    }

    private ApixoCallbackShape ShapeFor(int sequence) => options.ApixoCallbackShape switch
    {
        ApixoCallbackShape.Alternate => sequence % 2 == 0 ? ApixoCallbackShape.Envelope : ApixoCallbackShape.Bare,
        var fixedShape => fixedShape,
    };
}
