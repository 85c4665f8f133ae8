namespace SoraEvents.Simulator.Pixazo;

/// <summary>The document's error body: <c>{"error": "...", "message": "..."}</c>.</summary>
internal sealed record ErrorBody(string Error, string Message);
