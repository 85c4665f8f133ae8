using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using SoraEvents.Imaging;
using SoraEvents.Service.Providers.Apixo;

namespace SoraEvents.Service.Videos;

/// <summary>
/// Reads <c>POST /v1/videos</c> from JSON or from <c>multipart/form-data</c> (what the OpenAI SDKs send). Read by
/// hand rather than bound, so every mistake is answered with the field it concerns and what was wrong.
/// </summary>
public static class VideoRequestReader
{
    public static readonly string[] AcceptedContentTypes = ["application/json", "multipart/form-data", "application/x-www-form-urlencoded"];

    /// <summary>An uploaded image larger than the largest one a gateway takes is refused unread.</summary>
    public const long MaxUploadBytes = ApixoCapabilities.MaxImageBytes;

    public static async Task<(CreateVideoRequest? Request, ProblemHttpResult? Problem)> ReadAsync(HttpRequest http, CancellationToken ct)
    {
        try
        {
            if (http.HasJsonContentType()) return await ReadJsonAsync(http, ct);
            if (http.HasFormContentType) return await ReadFormAsync(http, ct);
        }
        catch (BadHttpRequestException ex)
        {
            return (null, ApiProblems.Create(ex.StatusCode, "Unreadable request body", $"The request body could not be read: {ex.Message}"));
        }
        var sent = http.ContentType is { Length: > 0 } type ? $"'{type}'" : "none";
        return (null, ApiProblems.Create(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type",
            $"Content-Type {sent} is not accepted; send one of {string.Join(", ", AcceptedContentTypes)}."));
    }

    private static async Task<(CreateVideoRequest?, ProblemHttpResult?)> ReadJsonAsync(HttpRequest http, CancellationToken ct)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(http.Body, default, ct);
        }
        catch (JsonException ex)
        {
            return (null, ApiProblems.Invalid("body", $"The body is not valid JSON ({ex.Message})."));
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return (null, ApiProblems.Invalid("body", $"The body must be a JSON object such as {{\"prompt\":\"…\"}}; it is a JSON {Kind(root)}."));

            var errors = new Dictionary<string, string[]>();
            string? Text(string name)
            {
                if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
                if (value.ValueKind == JsonValueKind.String) return value.GetString();
                errors[name] = [$"{name} must be a string; it is a JSON {Kind(value)}."];
                return null;
            }

            var request = new CreateVideoRequest(
                Prompt: Text("prompt"),
                Model: Text("model"),
                Seconds: JsonSeconds(root, errors),
                Size: Text("size"),
                InputReference: JsonInputReference(root, errors),
                Provider: Text("provider"),
                Resolution: Text("resolution"),
                Metadata: JsonMetadata(root, errors),
                JobId: ParseJobId(Text("jobId"), errors));
            return errors.Count > 0 ? (null, ApiProblems.Invalid(errors)) : (request, null);
        }
    }

    private static int? JsonSeconds(JsonElement root, Dictionary<string, string[]> errors)
    {
        if (!root.TryGetProperty("seconds", out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt32(out var seconds) => seconds,
            JsonValueKind.String => ParseSeconds(value.GetString()!, errors),
            _ => Fail(errors, "seconds", SecondsProblem(value.GetRawText())),
        };
    }

    private static int? ParseSeconds(string text, Dictionary<string, string[]> errors) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? seconds : Fail(errors, "seconds", SecondsProblem($"\"{text}\""));

    private static string SecondsProblem(string sent) =>
        $"seconds must be a whole number of seconds, as a string (\"8\") or a number (8); {sent} is not.";

    private static string? JsonInputReference(JsonElement root, Dictionary<string, string[]> errors)
    {
        if (!root.TryGetProperty("input_reference", out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == JsonValueKind.String) return value.GetString();
        if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("image_url", out var url) && url.ValueKind == JsonValueKind.String)
            return url.GetString();
        errors["input_reference"] = [value.ValueKind == JsonValueKind.Object && value.TryGetProperty("file_id", out _)
            ? "input_reference.file_id is not supported (there is no file store); send {\"image_url\": \"https://…\" or \"data:…\"}, or upload the image as multipart/form-data."
            : "input_reference must be {\"image_url\": \"https://…\" or \"data:image/…;base64,…\"}."];
        return null;
    }

    private static Dictionary<string, string>? JsonMetadata(JsonElement root, Dictionary<string, string[]> errors)
    {
        if (!root.TryGetProperty("metadata", out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == JsonValueKind.Object && value.EnumerateObject().All(p => p.Value.ValueKind == JsonValueKind.String))
            return value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        errors["metadata"] = ["metadata must be an object whose values are strings, such as {\"order\":\"9\"}."];
        return null;
    }

    private static async Task<(CreateVideoRequest?, ProblemHttpResult?)> ReadFormAsync(HttpRequest http, CancellationToken ct)
    {
        IFormCollection form;
        try
        {
            form = await http.ReadFormAsync(ct);
        }
        catch (InvalidDataException ex) when (ex.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
        {
            return (null, ApiProblems.Create(StatusCodes.Status413PayloadTooLarge, "Request too large",
                $"The form is too large ({ex.Message}); an uploaded input_reference may be at most {MaxUploadBytes:N0} bytes.", "input_reference"));
        }
        catch (InvalidDataException ex)
        {
            return (null, ApiProblems.Invalid("body", $"The form could not be read ({ex.Message})."));
        }

        var errors = new Dictionary<string, string[]>();
        string? Field(string name) => form.TryGetValue(name, out var values) && values.Count > 0 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;

        var seconds = Field("seconds") is { } secondsText ? ParseSeconds(secondsText, errors) : null;

        // The SDKs send nested objects as bracketed names: metadata[order]=9, input_reference[image_url]=https://…
        Dictionary<string, string>? metadata = null;
        foreach (var (key, values) in form.Where(f => f.Key.StartsWith("metadata[", StringComparison.Ordinal) && f.Key.EndsWith(']')))
            (metadata ??= new())[key["metadata[".Length..^1]] = values.ToString();
        if (Field("metadata") is { } metadataJson)
        {
            try
            {
                metadata = JsonSerializer.Deserialize<Dictionary<string, string>>(metadataJson);
            }
            catch (JsonException)
            {
                errors["metadata"] = ["metadata must be a JSON object of strings, or sent as metadata[key]=value fields."];
            }
        }

        var reference = Field("input_reference") ?? Field("input_reference[image_url]");
        if (form.Files.GetFile("input_reference") is { } file)
        {
            if (file.Length > MaxUploadBytes)
                return (null, ApiProblems.Create(StatusCodes.Status413PayloadTooLarge, "Image too large",
                    $"input_reference is {file.Length:N0} bytes; at most {MaxUploadBytes:N0} are accepted.", "input_reference"));
            reference = await UploadedImageAsync(file, errors, ct);
        }

        var request = new CreateVideoRequest(
            Prompt: Field("prompt"),
            Model: Field("model"),
            Seconds: seconds,
            Size: Field("size"),
            InputReference: reference,
            Provider: Field("provider"),
            Resolution: Field("resolution"),
            Metadata: metadata,
            JobId: ParseJobId(Field("jobId"), errors));
        return errors.Count > 0 ? (null, ApiProblems.Invalid(errors)) : (request, null);
    }

    /// <summary>The upload as a <c>data:</c> URI, checked as a <c>data:</c> image in JSON would be.</summary>
    private static async Task<string?> UploadedImageAsync(IFormFile file, Dictionary<string, string[]> errors, CancellationToken ct)
    {
        using var buffer = new MemoryStream((int)file.Length);
        await file.CopyToAsync(buffer, ct);
        var bytes = buffer.ToArray();
        if (!ImageHeaderReader.TryRead(bytes, out var format, out _))
        {
            errors["input_reference"] = ["input_reference is not a readable PNG, JPEG or WebP image."];
            return null;
        }
        var mediaType = format switch { ImageFormat.Png => "image/png", ImageFormat.Jpeg => "image/jpeg", _ => "image/webp" };
        return $"data:{mediaType};base64,{Convert.ToBase64String(bytes)}";
    }

    private static Guid? ParseJobId(string? text, Dictionary<string, string[]> errors)
    {
        if (text is null) return null;
        if (Guid.TryParse(text, out var id)) return id;
        errors["jobId"] = [$"jobId must be a GUID such as \"{Guid.Empty.ToString().Replace('0', '1')}\"; \"{Shorten(text)}\" is not."];
        return null;
    }

    private static int? Fail(Dictionary<string, string[]> errors, string field, string message)
    {
        errors[field] = [message];
        return null;
    }

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => "array",
        JsonValueKind.Object => "object",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };

    private static string Shorten(string text) => text.Length > 60 ? text[..60] + "…" : text;
}
