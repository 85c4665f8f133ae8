using System.Text.Json.Serialization;

namespace SoraEvents.Service.Videos;

/// <summary>The answer to <c>DELETE /v1/videos/{id}</c>.</summary>
public sealed record VideoDeleted([property: JsonPropertyName("id")] Guid Id)
{
    [JsonPropertyName("object"), JsonPropertyOrder(-1)]
    public string Object => "video.deleted";

    [JsonPropertyName("deleted")]
    public bool Deleted => true;
}
