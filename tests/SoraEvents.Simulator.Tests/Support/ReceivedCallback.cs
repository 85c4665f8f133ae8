using System.Text.Json;

namespace SoraEvents.Simulator.Tests.Support;

/// <summary>One POST the callback receiver got, and what it answered.</summary>
internal sealed record ReceivedCallback(string Path, string Query, string? ContentType, string Body, int AnsweredWith, DateTimeOffset At)
{
    public JsonElement Json
    {
        get
        {
            using var document = JsonDocument.Parse(Body);
            return document.RootElement.Clone();
        }
    }
}
