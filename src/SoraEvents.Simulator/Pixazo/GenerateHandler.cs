using System.Security.Cryptography;
using System.Text.Json;
using SoraEvents.Simulator.Callbacks;
using SoraEvents.Simulator.Hosting;
using SoraEvents.Simulator.Images;
using SoraEvents.Simulator.Scenarios;
using SoraEvents.Simulator.State;

namespace SoraEvents.Simulator.Pixazo;

/// <summary>Both Pixazo generate endpoints: the checks the gateway makes, in its order, then queueing the job.</summary>
internal sealed class GenerateHandler(
    SimulatorOptions options,
    SimulatorState state,
    ImageInspector images,
    GatewayAddress address,
    CallbackQueue callbacks,
    CallbackPlanner planner,
    ILogger<GenerateHandler> logger)
{
    public async Task<IResult> HandleAsync(HttpContext http, RequestKind kind)
    {
        state.CountGenerateCall(ProviderNames.Pixazo);
        var (accepted, rejection) = await AcceptAsync(http, kind);
        if (rejection is { TaskCreated: true })
        {
            logger.LogInformation("Created the task of a {Kind} generate call, then answered HTTP {StatusCode} as asked", kind, rejection.StatusCode);
            return rejection.ToResult(http.Response);
        }

        if (rejection is not null)
        {
            state.RecordRejection(rejection.StatusCode);
            if (rejection.StatusCode == StatusCodes.Status429TooManyRequests)
            {
                state.RecordTooManyRequests(ProviderNames.Pixazo);
            }

            logger.LogInformation("Rejected a {Kind} generate call with HTTP {StatusCode}: {Reason}", kind, rejection.StatusCode, rejection.Message);
            return rejection.ToResult(http.Response);
        }

        return Results.Json(accepted, PixazoJson.Options, statusCode: StatusCodes.Status202Accepted);
    }

    private async Task<(GenerateAccepted? Accepted, Rejection? Rejection)> AcceptAsync(HttpContext http, RequestKind kind)
    {
        if (SubscriptionKey.Check(http.Request, options) is { } unauthorized)
        {
            return (null, unauthorized);
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(http.Request.Body, default, http.RequestAborted);
        }
        catch (JsonException ex)
        {
            return (null, Rejection.BadRequest($"Request body is not valid JSON: {ex.Message}"));
        }

        GenerateRequest? request;
        using (document)
        {
            if (!GenerateRequestParser.TryParse(document.RootElement, kind, http.Request.Headers[PixazoWire.WebhookHeader], out request, out var invalid))
            {
                return (null, invalid);
            }
        }

        if (request.Image is not null)
        {
            var probe = images.Probe(request.Image, address.BaseFor(http.Request));
            if (CheckImage(request, probe, out var size) is { } badImage)
            {
                return (null, badImage);
            }

            request = request with { Size = size };
        }

        if (request.Scenario.HttpRejection() is { } simulated)
        {
            return (null, simulated);
        }

        var job = Queue(request, address.BaseFor(http.Request));
        if (request.Scenario.AnswerAfterCreating() is { } afterCreating)
        {
            return (null, afterCreating);
        }

        return (new GenerateAccepted(job.RequestId, PixazoWire.Status(SimulatedJobStatus.Queued), job.PollingUrl), null);
    }

    private static Rejection? CheckImage(GenerateRequest request, ImageProbe probe, out string? size)
    {
        size = request.Size;
        if (probe.Problem is not null)
        {
            return Rejection.BadRequest($"image {probe.Problem}.");
        }

        if (probe.Dimensions is not { } dimensions)
        {
            return null;
        }

        if (!VideoSizes.IsAllowed(dimensions))
        {
            return Rejection.BadRequest(
                $"Image dimensions {dimensions} are not supported; the image must be exactly one of {VideoSizes.AllowedList}. Resize it before uploading.");
        }

        if (size is not null && size != dimensions.ToString())
        {
            return Rejection.BadRequest($"size {size} does not match the image dimensions {dimensions}; size must equal the input image's dimensions.");
        }

        size = dimensions.ToString();
        return null;
    }

    private SimulatedRequest Queue(GenerateRequest request, string baseUrl)
    {
        var requestId = $"{PixazoWire.ModelFamily}_{Guid.CreateVersion7()}";
        var wantsCallback = request.CallbackUrl is not null && !request.Scenario.NoCallback;
        // Called under the state's lock, so plans are drawn in the order requests are accepted.
        SimulatedRequestDetails Details(int sequence)
        {
            var (plan, extraDelay) = planner.For(wantsCallback);

            return new(
                Provider: ProviderNames.Pixazo,
                RequestId: requestId,
                VideoId: "video_" + RandomNumberGenerator.GetHexString(48, lowercase: true),
                Kind: request.Kind,
                Prompt: request.Prompt,
                Model: request.Model,
                Size: request.Size,
                Resolution: null,
                Seconds: request.Seconds,
                EffectiveSeconds: request.Seconds,
                Route: null,
                Images: request.Image is null ? [] : [request.Image],
                CallbackUrl: request.CallbackUrl,
                CallbackShape: wantsCallback ? ShapeFor(request.Scenario, sequence) : null,
                ApixoCallbackShape: null,
                CallbackPlan: plan,
                CallbackExtraDelay: extraDelay,
                FinalStatus: request.Scenario.Outcome,
                FailCode: null,
                Error: request.Scenario.OutcomeError(),
                PollingUrl: $"{baseUrl}/v2/requests/status/{requestId}",
                MediaUrl: $"{baseUrl}/media/{requestId}/output.mp4");
        }

        var job = state.Add(ProviderNames.Pixazo, Details, options.CallbackDelay);
        // A dropped callback is lost for good: it never reaches the dispatcher.
        if (job.CallbackPlan is { } planned && planned != CallbackPlan.Dropped)
        {
            callbacks.Enqueue(job);
        }

        logger.LogInformation("Accepted {RequestId} ({Kind}); it will end {FinalStatus}; callback: {CallbackPlan}", job.RequestId, job.Kind, job.FinalStatus, job.CallbackPlan?.ToString() ?? "none");
        return job;
    }

    // Failures only have a documented webhook body in the status shape ("Error via Status/Webhook").
    private CallbackShape ShapeFor(Scenario scenario, int sequence) =>
        scenario.Outcome != SimulatedJobStatus.Completed
            ? CallbackShape.Status
            : options.CallbackShape switch
            {
                CallbackShape.Alternate => sequence % 2 == 0 ? CallbackShape.Status : CallbackShape.Result,
                var fixedShape => fixedShape,
            };
}
