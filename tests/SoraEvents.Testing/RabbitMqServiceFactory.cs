
namespace SoraEvents.Testing;

/// <summary>
/// The service on a real RabbitMQ virtual host, listening on a real loopback port so the built-in simulator's
/// callbacks come back over HTTP, exactly as in the embedded default.
/// </summary>
public sealed class RabbitMqServiceFactory : ServiceFactory
{
    public RabbitMqServiceFactory(Uri amqpUrl)
    {
        Settings["Bus:Transport"] = "RabbitMq";
        Settings["RabbitMq:Url"] = amqpUrl.AbsoluteUri;
        UseKestrel(0);
    }

    /// <summary>Starts the host and returns a client for its real address.</summary>
    public HttpClient StartAndCreateClient()
    {
        StartServer();
        return CreateClient();
    }
}
