using System.Text.Json;
using System.Text.Json.Serialization;

namespace SoraEvents.Service.Providers.Apixo;

internal static class ApixoJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
