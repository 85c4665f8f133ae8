namespace SoraEvents.Simulator;

/// <summary>
/// The body an APIXO callback carries. The document shows no callback body, only the status answer,
/// so a receiver has to accept that answer both with and without its envelope.
/// </summary>
public enum ApixoCallbackShape
{
    /// <summary>The whole status answer: <c>{"code":200,"message":"success","data":{taskId, state, …}}</c>.</summary>
    Envelope,

    /// <summary>Only the status answer's <c>data</c> object: <c>{taskId, state, …}</c>.</summary>
    Bare,

    /// <summary>Envelope for the first accepted APIXO task, Bare for the second, and so on.</summary>
    Alternate,
}
