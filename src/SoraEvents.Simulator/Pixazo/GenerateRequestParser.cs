using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using SoraEvents.Simulator.Json;
using SoraEvents.Simulator.Scenarios;
using SoraEvents.Simulator.State;

namespace SoraEvents.Simulator.Pixazo;

/// <summary>Applies the document's field rules to a generate body, naming every problem at once.</summary>
internal static class GenerateRequestParser
{
    private static readonly int[] AllowedSeconds = [4, 8, 12];

    public static bool TryParse(
        JsonElement body,
        RequestKind kind,
        string? webhookHeader,
        [NotNullWhen(true)] out GenerateRequest? request,
        [NotNullWhen(false)] out Rejection? rejection)
    {
        request = null;
        if (body.ValueKind != JsonValueKind.Object)
        {
            rejection = Rejection.BadRequest("Request body must be a JSON object.");
            return false;
        }

        var problems = new List<string>();

        // The document gives an unknown model its own error body, so it is answered on its own.
        var model = JsonFields.OptionalString(body, "model", problems) ?? PixazoWire.SupportedModel;
        if (problems.Count == 0 && !string.Equals(model, PixazoWire.SupportedModel, StringComparison.Ordinal))
        {
            rejection = Rejection.ModelNotFound(model);
            return false;
        }

        var prompt = JsonFields.OptionalString(body, "prompt", problems);
        if (string.IsNullOrWhiteSpace(prompt))
        {
            problems.Add("prompt is required and must be a non-empty string");
        }

        var size = JsonFields.OptionalString(body, "size", problems);
        if (size is not null && !VideoSizes.IsAllowed(size))
        {
            problems.Add($"size '{size}' is not supported; valid values: {VideoSizes.AllowedList}");
        }

        var seconds = OptionalSeconds(body, problems);
        var callbackUrl = CallbackUrl(body, webhookHeader, problems);

        string? image = null;
        if (kind == RequestKind.Image)
        {
            image = JsonFields.OptionalString(body, "image", problems);
            if (string.IsNullOrWhiteSpace(image))
            {
                problems.Add("image is required: an http(s) URL or a data:image/...;base64,... URI");
            }
        }

        Scenario? scenario = null;
        if (!string.IsNullOrWhiteSpace(prompt) && !Scenario.TryParse(prompt, ProviderNames.Pixazo, out scenario, out var scenarioProblem))
        {
            problems.Add(scenarioProblem);
        }

        if (problems.Count > 0 || scenario is null)
        {
            rejection = Rejection.BadRequest(string.Join("; ", problems) + ".");
            return false;
        }

        rejection = null;
        request = new GenerateRequest(kind, prompt!, model, size, seconds, image, callbackUrl, scenario);
        return true;
    }

    private static int? OptionalSeconds(JsonElement body, List<string> problems)
    {
        if (!body.TryGetProperty("seconds", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var seconds) && AllowedSeconds.Contains(seconds))
        {
            return seconds;
        }

        problems.Add($"seconds must be an integer, one of {string.Join(", ", AllowedSeconds)}; got {value.GetRawText()}");
        return null;
    }

    // The header wins over the field, and only one of them is ever called back.
    private static string? CallbackUrl(JsonElement body, string? webhookHeader, List<string> problems)
    {
        var field = JsonFields.OptionalString(body, "callback_url", problems);
        if (!string.IsNullOrWhiteSpace(webhookHeader))
        {
            return JsonFields.IsHttpUrl(webhookHeader) ? webhookHeader : Problem($"the {PixazoWire.WebhookHeader} header must be an absolute http(s) URL");
        }

        if (string.IsNullOrWhiteSpace(field))
        {
            return null;
        }

        return JsonFields.IsHttpUrl(field) ? field : Problem("callback_url must be an absolute http(s) URL");

        string? Problem(string problem)
        {
            problems.Add(problem);
            return null;
        }
    }
}
