using RabbitMQ.Client;
using SoraEvents.Cli.Api;
using SoraEvents.Cli.Broker;

namespace SoraEvents.Cli;

/// <summary>What a command runs with: the console, the broker and API addresses, and the output format.</summary>
internal sealed class CliContext(CliConsole console, Uri amqpUrl, Uri apiUrl, bool json, string? apiKey = null)
{
    public TextWriter Out => console.Out;

    public TextWriter Error => console.Error;

    public TextReader In => console.In;

    public Uri AmqpUrl { get; } = amqpUrl;

    public Uri ApiUrl { get; } = apiUrl;

    public bool Json { get; } = json;

    /// <summary>The user the AMQP URL logs in as (RabbitMQ's default when it names none).</summary>
    public string AmqpUser => AmqpUrl.UserInfo.Length == 0 ? "guest" : Uri.UnescapeDataString(AmqpUrl.UserInfo.Split(':')[0]);

    public string VirtualHost => BrokerConnection.VirtualHost(AmqpUrl);

    public Task<IConnection> ConnectAsync(CancellationToken ct) => BrokerConnection.OpenAsync(AmqpUrl, ct);

    public ApiClient CreateApiClient() => new(ApiUrl, apiKey);
}
