using System.ComponentModel.DataAnnotations;

namespace SoraEvents.Service.Messaging;

public sealed class RabbitMqOptions
{
    public const string Section = "RabbitMq";

    /// <summary>AMQP URL; the path is the virtual host, e.g. <c>amqp://user:pass@host:5672/vhost</c>.</summary>
    [Required]
    public string Url { get; set; } = "amqp://guest:guest@127.0.0.1:5672/";
}
