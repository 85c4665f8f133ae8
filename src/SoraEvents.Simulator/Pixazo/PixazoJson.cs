using System.Text.Encodings.Web;
using System.Text.Json;

namespace SoraEvents.Simulator.Pixazo;

/// <summary>Pixazo speaks snake_case; every body this simulator writes goes through these options.</summary>
internal static class PixazoJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,

        // Bodies are read by API clients, not embedded in HTML; escaping quotes as \u0027 only hurts reading them.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
