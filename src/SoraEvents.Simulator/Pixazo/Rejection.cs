namespace SoraEvents.Simulator.Pixazo;

/// <summary>
/// A refusal to answer with an error body, and the status it goes with. With <paramref name="TaskCreated"/> it is no
/// refusal at all but the error a gateway can answer after it created the task (<c>[sim:create-then=…]</c>).
/// </summary>
internal sealed record Rejection(int StatusCode, string Error, string Message, int? RetryAfterSeconds = null, bool TaskCreated = false)
{
    public static Rejection BadRequest(string message) => new(StatusCodes.Status400BadRequest, "Bad Request", message);

    public static Rejection Unauthorized(string message) => new(StatusCodes.Status401Unauthorized, "Unauthorized", message);

    public static Rejection NotFound(string message) => new(StatusCodes.Status404NotFound, "Not Found", message);

    public static Rejection ModelNotFound(string model) =>
        new(StatusCodes.Status400BadRequest, "Model not found", $"Model '{model}' not found or is disabled");

    public IResult ToResult(HttpResponse response)
    {
        if (RetryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return Results.Json(new ErrorBody(Error, Message), PixazoJson.Options, statusCode: StatusCode);
    }
}
