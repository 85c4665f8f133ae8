using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace SoraEvents.Service.Providers;

/// <summary>The first step of reading any gateway body: a JSON object, or the reason it is not one.</summary>
internal static class CallbackJson
{
    public static bool TryParseObject(string body, out JsonElement root, [NotNullWhen(false)] out GatewayOutcome.Unreadable? unreadable)
    {
        root = default;
        try
        {
            using var document = JsonDocument.Parse(body);
            root = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            unreadable = new GatewayOutcome.Unreadable($"not JSON: {ex.Message}");
            return false;
        }
        unreadable = root.ValueKind == JsonValueKind.Object ? null : new GatewayOutcome.Unreadable("not a JSON object");
        return unreadable is null;
    }
}
