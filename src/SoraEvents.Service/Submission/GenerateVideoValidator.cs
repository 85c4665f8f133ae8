using FluentValidation;
using SoraEvents.Contracts;
using SoraEvents.Service.Providers;

namespace SoraEvents.Service.Submission;

/// <summary>
/// The rules every <see cref="GenerateVideo"/> must keep, whichever gateway serves it; what one gateway can make
/// and another cannot is checked by routing (<c>GatewayRouter</c>). Messages name the JSON field and the allowed
/// values, because they reach the caller verbatim in <c>VideoFailed.Reason</c> or a 400.
/// </summary>
public sealed class GenerateVideoValidator : AbstractValidator<GenerateVideo>
{
    public const int MaxPromptLength = 4000;
    public const int MaxMetadataEntries = 50;
    public static IReadOnlyList<string> Sizes => VideoSizes.All;
    public const int MaxSeconds = 60;
    public static readonly string[] Resolutions = ["720p", "1080p"];
    public static readonly string[] Providers = [VideoProviders.Pixazo, VideoProviders.Apixo];

    public GenerateVideoValidator()
    {
        RuleFor(c => c.JobId).NotEmpty().OverridePropertyName("jobId")
            .WithMessage("jobId is required and must not be the empty GUID.");
        RuleFor(c => c.Prompt).NotEmpty().OverridePropertyName("prompt").WithMessage("prompt is required.");
        RuleFor(c => c.Prompt).MaximumLength(MaxPromptLength).OverridePropertyName("prompt")
            .WithMessage(c => $"prompt is {c.Prompt.Length} characters; at most {MaxPromptLength} are allowed.");
        RuleFor(c => c.Size).Must(s => Sizes.Contains(s)).When(c => c.Size is not null).OverridePropertyName("size")
            .WithMessage(c => $"size '{c.Size}' is not supported; use one of {string.Join(", ", Sizes)}.");
        RuleFor(c => c.Seconds).InclusiveBetween(1, MaxSeconds).When(c => c.Seconds is not null).OverridePropertyName("seconds")
            .WithMessage(c => $"seconds {c.Seconds} is not supported; a video lasts 1 to {MaxSeconds} seconds (pixazo: 4, 8, 12; apixo: 10, 15).");
        RuleFor(c => c.Image).Must(BeHttpUrl!).When(c => c.Image is not null && !c.Image.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
            .OverridePropertyName("image").WithMessage("image must be an http(s) URL or a data: URI of a JPEG, PNG or WebP image in base64.");
        RuleFor(c => c.Image).Custom((image, context) =>
        {
            if (RequestImage.Inspect(image)?.Problem is { } problem) context.AddFailure("image", problem);
        }).When(c => c.Image is not null && c.Image.StartsWith("data:", StringComparison.OrdinalIgnoreCase));
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

    private static bool BeHttpUrl(string image) =>
        Uri.TryCreate(image, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}
