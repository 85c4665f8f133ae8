using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;

namespace SoraEvents.Cli.Dlq;

/// <summary>
/// One message read from an error queue, still unacknowledged: its AMQP properties and body exactly as they
/// are, and what the CLI reads from them (ids, message type, the fault MassTransit recorded).
/// </summary>
internal sealed class DeadLetter
{
    private DeadLetter(string queue, ulong deliveryTag, IReadOnlyBasicProperties properties, byte[] body)
    {
        Queue = queue;
        DeliveryTag = deliveryTag;
        Properties = properties;
        Body = body;
        Headers = (properties.Headers ?? new Dictionary<string, object?>())
            .ToDictionary(h => h.Key, h => HeaderText(h.Value), StringComparer.Ordinal);
        Fault = FaultInfo.From(Headers);
        Envelope = ReadJson(body);
        MessageId = EnvelopeString("messageId") ?? properties.MessageId;
        MessageType = EnvelopeMessageType() ?? Header("MT-Fault-MessageType") ?? properties.Type;
        JobId = ReadJobId();
        ReplayQueue = QueueOf(Fault.InputAddress) ?? ErrorQueues.SourceOf(queue);
    }

    public string Queue { get; }

    public ulong DeliveryTag { get; }

    public IReadOnlyBasicProperties Properties { get; }

    public byte[] Body { get; }

    /// <summary>Every header as text (AMQP long strings arrive as bytes).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    public FaultInfo Fault { get; }

    /// <summary>The MassTransit envelope's <c>messageId</c>, else the AMQP message id.</summary>
    public string? MessageId { get; }

    /// <summary>The envelope's first message type without <c>urn:message:</c>, else the type MassTransit recorded with the fault.</summary>
    public string? MessageType { get; }

    /// <summary><c>jobId</c> of the message inside the envelope, or of the plain JSON body.</summary>
    public Guid? JobId { get; }

    /// <summary>The queue the message failed in: from <c>MT-Fault-InputAddress</c>, else the name without <c>_error</c>.</summary>
    public string ReplayQueue { get; }

    /// <summary>The body when it is a JSON object (an envelope or a plain command).</summary>
    public JsonElement? Envelope { get; }

    public bool IsEnvelope => Envelope is { } e && e.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.Object
                                                  && e.TryGetProperty("messageType", out _);

    public static DeadLetter From(string queue, BasicGetResult result) =>
        new(queue, result.DeliveryTag, result.BasicProperties, result.Body.ToArray());

    /// <summary>True when <paramref name="id"/> is this message's envelope id or its AMQP message id.</summary>
    public bool HasId(string id) =>
        Same(MessageId, id) || Same(Properties.MessageId, id);

    public string BodyText => Encoding.UTF8.GetString(Body);

    private string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    private string? EnvelopeString(string name) =>
        IsEnvelope && Envelope!.Value.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private string? EnvelopeMessageType()
    {
        if (!IsEnvelope || !Envelope!.Value.TryGetProperty("messageType", out var types)) return null;
        var first = types.ValueKind switch
        {
            JsonValueKind.Array => types.EnumerateArray().Select(t => t.GetString()).FirstOrDefault(t => t is not null),
            JsonValueKind.String => types.GetString(),
            _ => null,
        };
        return first is null ? null : first.StartsWith("urn:message:", StringComparison.Ordinal) ? first["urn:message:".Length..] : first;
    }

    private Guid? ReadJobId()
    {
        if (Envelope is not { } root) return null;
        var message = IsEnvelope ? root.GetProperty("message") : root;
        foreach (var property in message.EnumerateObject())
            if (string.Equals(property.Name, "jobId", StringComparison.OrdinalIgnoreCase)
                && property.Value.ValueKind == JsonValueKind.String && Guid.TryParse(property.Value.GetString(), out var id))
                return id;
        return null;
    }

    private static JsonElement? ReadJson(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary><c>rabbitmq://host/vhost/generate-video?bind=…</c> → <c>generate-video</c>.</summary>
    private static string? QueueOf(string? inputAddress)
    {
        if (inputAddress is null || !Uri.TryCreate(inputAddress, UriKind.Absolute, out var uri)) return null;
        var last = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        return string.IsNullOrEmpty(last) ? null : Uri.UnescapeDataString(last);
    }

    private static bool Same(string? a, string b) =>
        a is not null && (string.Equals(a, b, StringComparison.OrdinalIgnoreCase)
                          || (Guid.TryParse(a, out var x) && Guid.TryParse(b, out var y) && x == y));

    internal static string HeaderText(object? value) => value switch
    {
        null => "",
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        string s => s,
        AmqpTimestamp ts => DateTimeOffset.FromUnixTimeSeconds(ts.UnixTime).ToString("O", CultureInfo.InvariantCulture),
        IDictionary dictionary => "{" + string.Join(", ", dictionary.Keys.Cast<object>().Select(k => $"{k}={HeaderText(dictionary[k])}")) + "}",
        IEnumerable list => "[" + string.Join(", ", list.Cast<object?>().Select(HeaderText)) + "]",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

/// <summary>What MassTransit wrote in the headers when it moved the message to the error queue.</summary>
internal sealed record FaultInfo(
    string? ExceptionType,
    string? Message,
    string? StackTrace,
    DateTimeOffset? Timestamp,
    string? InputAddress,
    string? MachineName,
    string? ProcessName,
    string? ConsumerType,
    string? Reason)
{
    public const string FaultPrefix = "MT-Fault-";
    public const string ReasonHeader = "MT-Reason";

    /// <summary>Headers a replay drops: the fault is history once the message is back in its queue.</summary>
    public static bool IsFaultHeader(string name) =>
        name.StartsWith(FaultPrefix, StringComparison.OrdinalIgnoreCase) || string.Equals(name, ReasonHeader, StringComparison.OrdinalIgnoreCase);

    public static FaultInfo From(IReadOnlyDictionary<string, string> headers)
    {
        string? Get(string name) => headers.TryGetValue(name, out var v) && v.Length > 0 ? v : null;
        var time = Get("MT-Fault-Timestamp") is { } t && DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : (DateTimeOffset?)null;
        return new FaultInfo(Get("MT-Fault-ExceptionType"), Get("MT-Fault-Message"), Get("MT-Fault-StackTrace"), time,
            Get("MT-Fault-InputAddress"), Get("MT-Host-MachineName"), Get("MT-Host-ProcessName"), Get("MT-Fault-ConsumerType"),
            Get(ReasonHeader));
    }

    /// <summary>Short exception type (no namespace) and the first line of its message.</summary>
    public string Summary
    {
        get
        {
            var type = ExceptionType?.Split('.').Last();
            var message = Message?.Replace("\r\n", "\n").Split('\n')[0].Trim();
            return (type, message) switch
            {
                (null, null) => Reason is null ? "(no fault recorded)" : $"({Reason})",
                (null, _) => message!,
                (_, null or "") => type!,
                _ => $"{type}: {message}",
            };
        }
    }
}
