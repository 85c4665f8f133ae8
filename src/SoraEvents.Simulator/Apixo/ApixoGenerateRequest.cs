using SoraEvents.Simulator.Scenarios;
using SoraEvents.Simulator.State;

namespace SoraEvents.Simulator.Apixo;

/// <summary>
/// A generate body that passed the document's field rules (images that need fetching are looked at
/// later). <c>Model</c> is the <c>{model}</c> of the path; <c>Route</c> the <c>provider</c> field; and
/// <c>CallbackUrl</c> is set only when <c>request_type</c> is callback, as an async task is never called back.
/// </summary>
internal sealed record ApixoGenerateRequest(
    string Model,
    RequestKind Kind,
    string Prompt,
    int? Seconds,
    string? Size,
    string? Resolution,
    IReadOnlyList<string> ImageUrls,
    string Route,
    string? CallbackUrl,
    Scenario Scenario)
{
    /// <summary>The official route makes 12 seconds whatever was asked for.</summary>
    public int EffectiveSeconds => Route == ApixoInputRules.OfficialRoute
        ? ApixoInputRules.OfficialSeconds
        : Seconds ?? ApixoInputRules.DefaultSeconds;
}
