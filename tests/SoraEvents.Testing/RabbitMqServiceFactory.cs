using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

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

    /// <summary>
    /// Starts the host, waits until its bus is connected (the host serves HTTP before that, and a command published
    /// before the service's queues exist would be dropped), and returns a client for its real address.
    /// </summary>
    public HttpClient StartAndCreateClient()
    {
        StartServer();
        var health = Services.GetRequiredService<HealthCheckService>();
        var giveUpAt = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (DateTime.UtcNow < giveUpAt
               && health.CheckHealthAsync(check => check.Name == "bus").GetAwaiter().GetResult().Status != HealthStatus.Healthy)
            Thread.Sleep(100);
        return CreateClient();
    }
}
