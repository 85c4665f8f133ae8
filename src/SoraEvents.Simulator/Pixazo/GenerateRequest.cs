using SoraEvents.Simulator.Scenarios;
using SoraEvents.Simulator.State;

namespace SoraEvents.Simulator.Pixazo;

/// <summary>A generate call whose body passed the document's field rules (image dimensions are checked later).</summary>
internal sealed record GenerateRequest(
    RequestKind Kind,
    string Prompt,
    string Model,
    string? Size,
    int? Seconds,
    string? Image,
    string? CallbackUrl,
    Scenario Scenario);
