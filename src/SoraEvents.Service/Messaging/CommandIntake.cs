using System.Net.Mime;
using MassTransit;
using MassTransit.Serialization;
using SoraEvents.Contracts;

namespace SoraEvents.Service.Messaging;

/// <summary>How <c>generate-video</c> reads what arrives: every content type goes through <see cref="CommandDeserializer"/>.</summary>
public static class CommandIntake
{
    public const string Queue = BusQueues.GenerateVideo;

    /// <summary>
    /// The largest command read: the largest valid one is a 10 MB image (both gateways' limit) as a base64 data URI,
    /// about 14 MB. Anything larger is refused before it is parsed or stored.
    /// </summary>
    public const int MaxCommandBytes = 16 * 1024 * 1024;

    public static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>
    /// Bare JSON, envelopes, and (as the default) messages without or with another content type, so that each is
    /// either read or answered for its job.
    /// </summary>
    public static void UseGenerateVideoIntake(this IReceiveEndpointConfigurator endpoint)
    {
        endpoint.AddDeserializer(new Factory(SystemTextJsonRawMessageSerializer.JsonContentType));
        endpoint.AddDeserializer(new Factory(SystemTextJsonMessageSerializer.JsonContentType), isDefault: true);
    }

    private sealed class Factory(ContentType contentType) : ISerializerFactory
    {
        public ContentType ContentType => contentType;

        // Registered as a deserializer only; what the service sends is serialized as everywhere else.
        public IMessageSerializer CreateSerializer() => throw new NotSupportedException("CommandDeserializer only reads.");

        public IMessageDeserializer CreateDeserializer() => new CommandDeserializer(contentType);
    }
}
