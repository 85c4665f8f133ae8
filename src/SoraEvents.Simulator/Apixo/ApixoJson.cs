using System.Text.Encodings.Web;
using System.Text.Json;

namespace SoraEvents.Simulator.Apixo;

/// <summary>APIXO answers in camelCase (<c>taskId</c>, <c>resultJson</c>); every body it writes goes through these options.</summary>
internal static class ApixoJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        // Bodies are read by API clients, not embedded in HTML; resultJson would otherwise be full of \u0022.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
