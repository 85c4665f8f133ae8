namespace SoraEvents.Service.Archiving;

/// <summary>A video over <c>Archive:MaxBytes</c>: retrying cannot help.</summary>
public sealed class ArchiveTooLargeException(long bytes, long limit)
    : Exception($"The video is larger than the archive limit ({bytes} > {limit} bytes).");
