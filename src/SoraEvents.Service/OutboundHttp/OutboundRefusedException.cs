namespace SoraEvents.Service.OutboundHttp;

/// <summary>
/// The <see cref="OutboundPolicy"/> refused a request: retrying cannot help. An <see cref="HttpRequestException"/>, so
/// callers that handle failed requests handle it too; the message says which rule refused it, never what answered.
/// </summary>
public sealed class OutboundRefusedException(string reason) : HttpRequestException($"refused: {reason}");
