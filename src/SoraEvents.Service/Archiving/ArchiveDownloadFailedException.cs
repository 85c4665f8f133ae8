namespace SoraEvents.Service.Archiving;

/// <summary>
/// A download that failed on the way (refused connection, HTTP error, broken stream). One message for all of them:
/// the text never tells what answered at the address (closed port, another service, an HTTP error page).
/// </summary>
public sealed class ArchiveDownloadFailedException(Exception inner) : Exception("the video could not be downloaded", inner);
