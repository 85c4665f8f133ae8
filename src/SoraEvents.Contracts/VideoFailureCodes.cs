namespace SoraEvents.Contracts;

/// <summary>The values of <see cref="VideoFailed.Code"/>. They travel as these exact strings.</summary>
public static class VideoFailureCodes
{
    /// <summary>The command broke a rule (missing prompt, unsupported size or duration, malformed image). Not retried.</summary>
    public const string InvalidRequest = "invalid_request";

    /// <summary>The gateway refused the prompt or image under its content policy.</summary>
    public const string ContentViolation = "content_violation";

    /// <summary>The gateway could not use the image (unreachable URL, unsupported format or dimensions).</summary>
    public const string InvalidImage = "invalid_image";

    /// <summary>The gateway account has no balance or credits left, and no other gateway could take the job.</summary>
    public const string InsufficientBalance = "insufficient_balance";

    /// <summary>The gateway refused the request for another permanent reason (authentication, unknown model).</summary>
    public const string ProviderRejected = "provider_rejected";

    /// <summary>The gateway failed while generating the video.</summary>
    public const string ProviderError = "provider_error";

    /// <summary>The job did not finish within the configured deadline.</summary>
    public const string TimedOut = "timed_out";

    /// <summary>
    /// The caller cancelled the job (<c>DELETE /v1/videos/{id}</c>) before it was handed to a gateway; no gateway was
    /// called and nothing was charged.
    /// </summary>
    public const string Cancelled = "cancelled";

    /// <summary>Every code, in declaration order.</summary>
    public static IReadOnlyList<string> All { get; } =
        [InvalidRequest, ContentViolation, InvalidImage, InsufficientBalance, ProviderRejected, ProviderError, TimedOut, Cancelled];
}
