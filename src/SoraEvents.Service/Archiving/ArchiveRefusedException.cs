namespace SoraEvents.Service.Archiving;

/// <summary>
/// The video URL or its answer is refused (the outbound policy refused the URL, or the answer is not a video):
/// retrying cannot help, so the job keeps its gateway URL and no copy.
/// </summary>
public sealed class ArchiveRefusedException(string reason, Exception? inner = null) : Exception(reason, inner);
