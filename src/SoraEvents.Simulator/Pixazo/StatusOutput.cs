namespace SoraEvents.Simulator.Pixazo;

/// <summary>The <c>output</c> of a completed status body: where the media is and what it is.</summary>
internal sealed record StatusOutput(IReadOnlyList<string> MediaUrl, string MediaType);
