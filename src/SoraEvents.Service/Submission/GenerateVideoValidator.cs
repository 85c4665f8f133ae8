using FluentValidation;
using SoraEvents.Contracts;

namespace SoraEvents.Service.Submission;

/// <summary>
/// The rules a <see cref="GenerateVideo"/> must keep, from the gateway documents. Messages name the JSON field
/// and the allowed values, because they reach the caller verbatim in <c>VideoFailed.Reason</c> or a 400.
/// </summary>
public sealed class GenerateVideoValidator : AbstractValidator<GenerateVideo>
{
    public const int MaxPromptLength = 4000;
    public const int MaxMetadataEntries = 50;
    public static readonly string[] Sizes = ["1280x720", "720x1280", "1792x1024", "1024x1792"];
    public static readonly int[] Seconds = [4, 8, 12];
    public static readonly string[] Resolutions = ["720p", "1080p"];
    public static readonly string[] Providers = [VideoProviders.Pixazo, VideoProviders.Apixo];
    private static readonly string[] ImageMediaTypes = ["image/jpeg", "image/png", "image/webp"];

    public GenerateVideoValidator()
    {
        RuleFor(c => c.JobId).NotEmpty().OverridePropertyName("jobId")
            .WithMessage("jobId is required and must not be the empty GUID.");
        RuleFor(c => c.Prompt).NotEmpty().OverridePropertyName("prompt").WithMessage("prompt is required.");
        RuleFor(c => c.Prompt).MaximumLength(MaxPromptLength).OverridePropertyName("prompt")
            .WithMessage(c => $"prompt is {c.Prompt.Length} characters; at most {MaxPromptLength} are allowed.");
        RuleFor(c => c.Size).Must(s => Sizes.Contains(s)).When(c => c.Size is not null).OverridePropertyName("size")
            .WithMessage(c => $"size '{c.Size}' is not supported; use one of {string.Join(", ", Sizes)}.");
        RuleFor(c => c.Seconds).Must(s => Seconds.Contains(s!.Value)).When(c => c.Seconds is not null).OverridePropertyName("seconds")
            .WithMessage(c => $"seconds {c.Seconds} is not supported; use one of {string.Join(", ", Seconds)}.");
        RuleFor(c => c.Image).Must(BeUrlOrImageDataUri!).When(c => c.Image is not null).OverridePropertyName("image")
            .WithMessage("image must be an http(s) URL or a data: URI of a JPEG, PNG or WebP image in base64.");
        RuleFor(c => c.Resolution).Must(r => Resolutions.Contains(r)).When(c => c.Resolution is not null).OverridePropertyName("resolution")
            .WithMessage(c => $"resolution '{c.Resolution}' is not supported; use 720p or 1080p.");
        RuleFor(c => c.Provider).Must(p => Providers.Contains(p)).When(c => c.Provider is not null).OverridePropertyName("provider")
            .WithMessage(c => $"provider '{c.Provider}' is unknown; use {string.Join(" or ", Providers)}, or leave it out.");
        RuleFor(c => c.Model).NotEmpty().MaximumLength(100).Matches("^[A-Za-z0-9._-]+$").When(c => c.Model is not null)
            .OverridePropertyName("model").WithMessage("model must be a model id such as sora-2-pro (letters, digits, '.', '_', '-').");
        RuleFor(c => c.Metadata).Must(m => m!.Count <= MaxMetadataEntries).When(c => c.Metadata is not null)
            .OverridePropertyName("metadata").WithMessage($"metadata may hold at most {MaxMetadataEntries} entries.");
        RuleFor(c => c.Metadata).Must(m => m!.All(e => e.Key.Length is > 0 and <= 100 && (e.Value?.Length ?? 0) <= 2000))
            .When(c => c.Metadata is not null).OverridePropertyName("metadata")
            .WithMessage("metadata keys must be 1–100 characters and values at most 2,000.");
    }

    private static bool BeUrlOrImageDataUri(string image)
    {
        if (image.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            var comma = image.IndexOf(',');
            if (comma < 0) return false;
            var header = image[5..comma];
            var parts = header.Split(';');
            return ImageMediaTypes.Contains(parts[0].ToLowerInvariant())
                   && parts.Contains("base64", StringComparer.OrdinalIgnoreCase)
                   && IsBase64(image.AsSpan(comma + 1));
        }
        return Uri.TryCreate(image, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
    }

    private static bool IsBase64(ReadOnlySpan<char> text) => text.Length > 0 && System.Buffers.Text.Base64.IsValid(text);
}
