using System.Text.Json;
using System.Text.Json.Serialization;

namespace SoraEvents.Service.Providers.Pixazo;

/// <summary>Pixazo speaks snake_case JSON and leaves optional fields out rather than sending null.</summary>
internal static class PixazoJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNameCaseInsensitive = true,
    };
}
