using System.Net.Mime;
using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit;
using MassTransit.Serialization;
using SoraEvents.Contracts;

namespace SoraEvents.Service.Messaging;

/// <summary>
/// Reads what arrives on <c>generate-video</c> before MassTransit does: a bare command (<c>application/json</c>),
/// an envelope (<c>application/vnd.masstransit+json</c>), or either without a content type. A readable command goes
/// on to MassTransit's own deserializers, converted first where it was lenient (<c>"seconds": "8"</c>). A command
/// that is too large, of another content type, not JSON or wrongly typed becomes an <see cref="UnreadableCommand"/>
/// for its job when it names one; only a body that names no job fails into <c>generate-video_error</c>.
/// </summary>
/// <remarks>
/// A deserializer rather than a filter because MassTransit consults it inside its rescue pipe: an exception here
/// lands in <c>_error</c> with its reason, and an oversized body is refused before anything parses it whole.
/// </remarks>
public sealed class CommandDeserializer(ContentType contentType) : IMessageDeserializer
{
    private static readonly JsonDocumentOptions Lenient = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };
    private static readonly string CommandUrn = MessageUrn.ForTypeString<GenerateVideo>();
    private static readonly string UnreadableUrn = MessageUrn.ForTypeString<UnreadableCommand>();
    private static readonly SystemTextJsonRawMessageSerializer Bare = new(RawSerializerOptions.AnyMessageType);
    private static readonly SystemTextJsonMessageSerializer Envelope = SystemTextJsonMessageSerializer.Instance;

    public ContentType ContentType => contentType;

    public void Probe(ProbeContext context) => context.CreateScope("generate-video-intake").Add("contentType", contentType.MediaType);

    public ConsumeContext Deserialize(ReceiveContext receiveContext)
    {
        var bytes = receiveContext.Body.GetBytes();
        var mediaType = receiveContext.ContentType?.MediaType;

        if (bytes.Length > CommandIntake.MaxCommandBytes)
            return Refuse(receiveContext, bytes,
                $"the command is {bytes.Length:N0} bytes; at most {CommandIntake.MaxCommandBytes:N0} are accepted.");

        var body = bytes.AsMemory();
        var rewritten = false;
        if (body.Span.StartsWith(CommandIntake.Utf8Bom))
        {
            body = body[CommandIntake.Utf8Bom.Length..];
            rewritten = true;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, Lenient);
        }
        catch (JsonException ex)
        {
            return Refuse(receiveContext, bytes, $"the command is not valid JSON: {ex.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            var isEnvelope = mediaType is null or ""
                ? root.ValueKind == JsonValueKind.Object && Property(root, "messageType") is not null && Property(root, "message") is not null
                : string.Equals(mediaType, Envelope.ContentType.MediaType, StringComparison.OrdinalIgnoreCase);
            var command = isEnvelope ? Property(root, "message") : root;

            if (mediaType is { Length: > 0 } && !isEnvelope && !string.Equals(mediaType, Bare.ContentType.MediaType, StringComparison.OrdinalIgnoreCase))
                return Refuse(receiveContext, bytes, $"content type '{mediaType}' is not accepted; send the command as application/json, " +
                                                     "or as a MassTransit envelope (application/vnd.masstransit+json).");
            // An envelope of another message type is MassTransit's to skip, as it always was.
            if (isEnvelope && !NamesCommand(root)) return Envelope.Deserialize(receiveContext);
            if (command is null)
                return Refuse(receiveContext, bytes, "the envelope has no message.");

            var reading = CommandReader.Read(command.Value);
            if (reading.Command is null)
                return reading.JobId is { } jobId
                    ? Unreadable(receiveContext, jobId, reading.Problems, CommandReader.Echoable(reading.Metadata))
                    : throw Unattributable(reading.Problems);

            if (!isEnvelope)
                return Offer(receiveContext, CommandUrn, rewritten || reading.Rewritten
                    ? JsonSerializer.SerializeToElement(reading.Command, SystemTextJsonMessageSerializer.Options)
                    : command.Value.Clone());
            if (!rewritten && !reading.Rewritten) return Envelope.Deserialize(receiveContext);
            return new BodyConsumeContext(receiveContext,
                Envelope.Deserialize(new BytesMessageBody(WithMessage(body, reading.Command)), receiveContext.TransportHeaders, receiveContext.InputAddress));
        }
    }

    public SerializerContext Deserialize(MessageBody body, Headers headers, Uri? destinationAddress = null) =>
        contentType.MediaType == Envelope.ContentType.MediaType
            ? Envelope.Deserialize(body, headers, destinationAddress)
            : Bare.Deserialize(body, headers, destinationAddress);

    public MessageBody GetMessageBody(string text) => new StringMessageBody(text);

    /// <summary>A command that could not be read: answered for its job if the body names one, else to <c>_error</c>.</summary>
    private static ConsumeContext Refuse(ReceiveContext receiveContext, byte[] bytes, string problem)
    {
        var (jobId, metadata) = CommandAttribution.Scan(bytes.AsSpan().StartsWith(CommandIntake.Utf8Bom) ? bytes.AsSpan(CommandIntake.Utf8Bom.Length) : bytes);
        return jobId is { } id ? Unreadable(receiveContext, id, [problem], metadata) : throw Unattributable([problem]);
    }

    private static ConsumeContext Unreadable(ReceiveContext receiveContext, Guid jobId, IReadOnlyList<string> problems,
        IReadOnlyDictionary<string, string>? metadata) =>
        Offer(receiveContext, UnreadableUrn,
            JsonSerializer.SerializeToElement(new UnreadableCommand(jobId, problems, metadata), SystemTextJsonMessageSerializer.Options));

    /// <summary>
    /// A bare message offered as exactly one message type. MassTransit's raw deserializer would offer a bare body as
    /// any type, so a command would also reach the consumer of <see cref="UnreadableCommand"/>, and the reverse.
    /// </summary>
    private static ConsumeContext Offer(ReceiveContext receiveContext, string messageUrn, JsonElement message)
    {
        var serializerContext = new SystemTextJsonRawSerializerContext(Envelope, SystemTextJsonMessageSerializer.Options, Bare.ContentType,
            new RawMessageContext(receiveContext.TransportHeaders, receiveContext.InputAddress, RawSerializerOptions.Default),
            [messageUrn], RawSerializerOptions.Default, message);
        return new BodyConsumeContext(receiveContext, serializerContext);
    }

    private static SerializationException Unattributable(IReadOnlyList<string> problems) =>
        new($"GenerateVideo could not be read and names no job (no readable jobId): {string.Join(" ", problems)}");

    private static bool NamesCommand(JsonElement envelope) =>
        Property(envelope, "messageType") is { ValueKind: JsonValueKind.Array } types
        && types.EnumerateArray().Any(t => t.ValueKind == JsonValueKind.String && string.Equals(t.GetString(), CommandUrn, StringComparison.OrdinalIgnoreCase));

    private static JsonElement? Property(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object) return null;
        foreach (var property in element.EnumerateObject())
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase)) return property.Value;
        return null;
    }

    /// <summary>The envelope with its message replaced by the converted command; every other field kept as sent.</summary>
    private static byte[] WithMessage(ReadOnlyMemory<byte> envelope, GenerateVideo command)
    {
        var node = JsonNode.Parse(envelope.Span, documentOptions: Lenient)!.AsObject();
        var key = node.Select(p => p.Key).First(k => string.Equals(k, "message", StringComparison.OrdinalIgnoreCase));
        node[key] = JsonSerializer.SerializeToNode(command, SystemTextJsonMessageSerializer.Options);
        return JsonSerializer.SerializeToUtf8Bytes(node);
    }
}
