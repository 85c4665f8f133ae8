namespace SoraEvents.Service.Submission;

/// <summary>
/// A submission failed before its request could have reached the gateway, for a reason that is not the gateway's
/// (the store, a shutdown): no task exists, so the job's claim can be given back and the job tried again.
/// </summary>
public sealed class SubmissionNotSentException(string provider, Exception inner)
    : Exception($"The submission to {provider} failed before its request left: {inner.Message}", inner)
{
    public string Provider { get; } = provider;
}
