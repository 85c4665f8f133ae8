using System.Globalization;
using SoraEvents.Simulator.State;

namespace SoraEvents.Simulator.Apixo;

/// <summary>
/// A refusal in APIXO's envelope, <c>{"code": …, "message": …, "data": null}</c>, and the HTTP status it
/// travels with. The document answers request errors with HTTP 200 and <c>code</c> 400, so a client
/// must read <c>code</c>; only auth, rate limits and unreadable bodies change the HTTP status. With
/// <paramref name="TaskCreated"/> it is no refusal at all but the error a gateway can answer after it created the
/// task (<c>[sim:create-then=…]</c>).
/// </summary>
internal sealed record ApixoRefusal(int HttpStatus, int Code, string Message, int? RetryAfterSeconds = null, bool TaskCreated = false)
{
    public static ApixoRefusal Unauthorized { get; } = new(StatusCodes.Status401Unauthorized, 401, "Invalid or missing API Key");

    public static ApixoRefusal InsufficientCredits { get; } = Invalid("Insufficient credits");

    public static ApixoRefusal PolicyViolation { get; } = Invalid("Content violates provider policy, please adjust the prompt");

    /// <summary>A request the gateway understood and will not do: HTTP 200, <c>code</c> 400.</summary>
    public static ApixoRefusal Invalid(string message) => new(StatusCodes.Status200OK, 400, message);

    /// <summary>A body that is not JSON at all, which no handler gets to read: HTTP 400.</summary>
    public static ApixoRefusal Unreadable(string message) => new(StatusCodes.Status400BadRequest, 400, message);

    /// <summary>An unknown task id: HTTP 200, <c>code</c> 404, in the same envelope as every other answer about a task.</summary>
    public static ApixoRefusal TaskNotFound(string message) => new(StatusCodes.Status200OK, 404, message);

    /// <summary>HTTP 429 with <c>Retry-After</c> in whole seconds, rounded up so a client that waits that long gets through.</summary>
    public static ApixoRefusal RateLimited(TimeSpan wait) =>
        new(StatusCodes.Status429TooManyRequests, 429, "Rate limit exceeded", Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)));

    /// <summary>Writes the refusal; a 429 is recorded here, the one place every APIXO 429 passes.</summary>
    public IResult ToResult(HttpResponse response, SimulatorState state)
    {
        if (HttpStatus == StatusCodes.Status429TooManyRequests)
        {
            state.RecordTooManyRequests(ProviderNames.Apixo);
        }

        if (RetryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        return Results.Json(new ApixoEnvelope<object>(Code, Message, null), ApixoJson.Options, statusCode: HttpStatus);
    }
}
