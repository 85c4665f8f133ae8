using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using SoraEvents.Simulator.Json;
using SoraEvents.Simulator.Scenarios;
using SoraEvents.Simulator.State;

namespace SoraEvents.Simulator.Apixo;

/// <summary>
/// Applies the APIXO document's field rules to a generate body, naming every problem at once. A field
/// that belongs to the other mode (<c>size</c> in image-to-video, <c>resolution</c> or <c>image_urls</c>
/// in text-to-video) is refused rather than ignored, so a client that mixes them up hears about it.
/// </summary>
internal static class ApixoGenerateParser
{
    public static bool TryParse(
        JsonElement body,
        string model,
        [NotNullWhen(true)] out ApixoGenerateRequest? request,
        [NotNullWhen(false)] out string? problem)
    {
        request = null;
        if (body.ValueKind != JsonValueKind.Object)
        {
            problem = "Request body must be a JSON object";
            return false;
        }

        var problems = new List<string>();
        var requestType = OneOf(body, "request_type", "request_type", ApixoInputRules.RequestTypes, problems) ?? ApixoInputRules.Async;
        var callbackUrl = CallbackUrl(body, requestType, problems);
        var route = OneOf(body, "provider", "provider", ApixoInputRules.Routes, problems) ?? "auto";

        if (!body.TryGetProperty("input", out var input) || input.ValueKind != JsonValueKind.Object)
        {
            problems.Add("input is required and must be an object");
            problem = Join(problems);
            return false;
        }

        var mode = OneOf(input, "mode", "input.mode", ApixoInputRules.Modes, problems);
        if (mode is null && !JsonFields.IsPresent(input, "mode"))
        {
            problems.Add($"input.mode is required: {string.Join(" or ", ApixoInputRules.Modes)}");
        }

        var prompt = JsonFields.OptionalString(input, "prompt", problems, "input.prompt");
        if (string.IsNullOrWhiteSpace(prompt))
        {
            problems.Add("input.prompt is required and must be a non-empty string");
        }

        var seconds = Duration(input, problems);
        var size = Size(input, mode, problems);
        var resolution = Resolution(input, mode, problems);
        var imageUrls = ImageUrls(input, mode, problems);

        Scenario? scenario = null;
        if (!string.IsNullOrWhiteSpace(prompt) && !Scenario.TryParse(prompt, ProviderNames.Apixo, out scenario, out var scenarioProblem))
        {
            problems.Add(scenarioProblem);
        }

        if (problems.Count > 0 || scenario is null || mode is null)
        {
            problem = Join(problems);
            return false;
        }

        var kind = mode == ApixoInputRules.ImageToVideo ? RequestKind.Image : RequestKind.Text;
        request = new ApixoGenerateRequest(model, kind, prompt!, seconds, size, resolution, imageUrls, route, callbackUrl, scenario);
        problem = null;
        return true;
    }

    private static string Join(List<string> problems) => string.Join("; ", problems);

    private static string? OneOf(JsonElement body, string name, string label, IReadOnlyList<string> allowed, List<string> problems)
    {
        var value = JsonFields.OptionalString(body, name, problems, label);
        if (value is not null && !allowed.Contains(value, StringComparer.Ordinal))
        {
            problems.Add($"{label} must be one of {string.Join(", ", allowed)}; got '{value}'");
            return null;
        }

        return value;
    }

    // An async task is never called back, so its callback_url is checked but not kept.
    private static string? CallbackUrl(JsonElement body, string requestType, List<string> problems)
    {
        var callbackUrl = JsonFields.OptionalString(body, "callback_url", problems);
        if (string.IsNullOrWhiteSpace(callbackUrl))
        {
            if (requestType == ApixoInputRules.Callback)
            {
                problems.Add("callback_url is required when request_type is callback");
            }

            return null;
        }

        if (!JsonFields.IsHttpUrl(callbackUrl))
        {
            problems.Add("callback_url must be an absolute http(s) URL");
            return null;
        }

        return requestType == ApixoInputRules.Callback ? callbackUrl : null;
    }

    private static int? Duration(JsonElement input, List<string> problems)
    {
        if (!input.TryGetProperty("duration", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var seconds) && ApixoInputRules.Durations.Contains(seconds))
        {
            return seconds;
        }

        problems.Add($"input.duration must be {string.Join(" or ", ApixoInputRules.Durations)} (seconds); got {value.GetRawText()}");
        return null;
    }

    private static string? Size(JsonElement input, string? mode, List<string> problems)
    {
        var size = JsonFields.OptionalString(input, "size", problems, "input.size");
        if (size is null)
        {
            return null;
        }

        if (mode == ApixoInputRules.ImageToVideo)
        {
            problems.Add("input.size applies to text-to-video; image-to-video takes input.resolution (720p or 1080p)");
            return null;
        }

        if (ApixoInputRules.Sizes.Contains(size, StringComparer.Ordinal))
        {
            return size;
        }

        var withAsterisk = size.Replace('x', '*').Replace('X', '*');
        var hint = ApixoInputRules.Sizes.Contains(withAsterisk, StringComparer.Ordinal)
            ? $": APIXO writes sizes with an asterisk, '{withAsterisk}'"
            : string.Empty;
        problems.Add($"input.size '{size}' is not supported{hint}; valid values: {string.Join(", ", ApixoInputRules.Sizes)}");
        return null;
    }

    private static string? Resolution(JsonElement input, string? mode, List<string> problems)
    {
        var resolution = OneOf(input, "resolution", "input.resolution", ApixoInputRules.Resolutions, problems);
        if (resolution is not null && mode == ApixoInputRules.TextToVideo)
        {
            problems.Add("input.resolution applies to image-to-video; text-to-video takes input.size");
            return null;
        }

        return resolution;
    }

    private static IReadOnlyList<string> ImageUrls(JsonElement input, string? mode, List<string> problems)
    {
        var present = JsonFields.IsPresent(input, "image_urls");
        var value = present ? input.GetProperty("image_urls") : default;
        if (mode == ApixoInputRules.TextToVideo)
        {
            if (present)
            {
                problems.Add("input.image_urls applies to image-to-video; set input.mode to image-to-video to animate images");
            }

            return [];
        }

        if (mode != ApixoInputRules.ImageToVideo)
        {
            return [];
        }

        const string required = "input.image_urls is required for image-to-video: a non-empty array of JPG, PNG or WebP image URLs";
        if (!present || (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 0))
        {
            problems.Add(required);
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            problems.Add("input.image_urls must be an array of strings");
            return [];
        }

        var urls = new List<string>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(item.GetString()))
            {
                urls.Add(item.GetString()!);
            }
            else
            {
                problems.Add($"input.image_urls[{index}] must be a non-empty string");
            }

            index++;
        }

        return urls;
    }
}
