using System.ComponentModel.DataAnnotations;

namespace SoraEvents.Service.Messaging;

public sealed class RabbitMqOptions
{
    public const string Section = "RabbitMq";

    /// <summary>AMQP URL; the path is the virtual host, e.g. <c>amqp://user:pass@host:5672/vhost</c>.</summary>
    [Required]
    public string Url { get; set; } = "amqp://guest:guest@127.0.0.1:5672/";

    /// <summary>
    /// Declare the service's queues as quorum queues (replicated across a RabbitMQ cluster). Changing this for
    /// an existing deployment needs the queues deleted first: RabbitMQ cannot change a queue's type in place.
    /// </summary>
    public bool QuorumQueues { get; set; }
}
