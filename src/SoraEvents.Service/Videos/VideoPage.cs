using System.Text.Json.Serialization;

namespace SoraEvents.Service.Videos;

/// <summary>One page of <c>GET /v1/videos</c>; pass <see cref="LastId"/> as <c>after</c> for the next.</summary>
public sealed record VideoPage(
    [property: JsonPropertyName("data")] IReadOnlyList<VideoObject> Data,
    [property: JsonPropertyName("first_id")] Guid? FirstId,
    [property: JsonPropertyName("last_id")] Guid? LastId,
    [property: JsonPropertyName("has_more")] bool HasMore)
{
    [JsonPropertyName("object"), JsonPropertyOrder(-1)]
    public string Object => "list";
}
