namespace SoraEvents.Testing;

/// <summary>
/// A RabbitMQ node of this fixture's own, started with infra/rabbitmq.sh in a folder under the run's servers and
/// stopped with it. The fault tests stop, kill and restart only this node: never the broker other tests share,
/// and never a broker the run did not start.
/// </summary>
public sealed class PrivateRabbitMqNode : RabbitMqFixture
{
    private readonly string folder = Path.Combine(InfraScript.ServersFolder, $"rabbitmq-{Guid.NewGuid():N}"[..21]);

    /// <summary>The node's folder (its data, logs and the PIDs the script recorded).</summary>
    public string Folder => folder;

    protected override async Task<(Uri Amqp, Uri Management)> LocateAsync()
    {
        var exports = InfraScript.ParseExports(await InfraScript.RunAsync("rabbitmq.sh", "start", "--dir", folder));
        return (new Uri(exports["RabbitMq__Url"]), new Uri(exports["RabbitMq__ManagementUrl"]));
    }

    public override async Task DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        finally
        {
            await InfraScript.RunAsync("rabbitmq.sh", "stop", "--dir", folder);
            try { Directory.Delete(folder, recursive: true); }
            catch (IOException) { /* a file still being written by a dying process; the run folder is wiped next run */ }
        }
    }

    /// <summary>The PID of the node's Erlang VM, as the node wrote it at boot.</summary>
    public long VmPid => long.Parse(File.ReadAllText(Path.Combine(folder, "data", "beam.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Graceful stop; the node keeps its data and ports.</summary>
    public Task StopAsync() => InfraScript.RunAsync("rabbitmq.sh", "stop", "--dir", folder);

    /// <summary>Starts the node again on the same ports (a no-op when it runs).</summary>
    public Task StartAsync() => InfraScript.RunAsync("rabbitmq.sh", "start", "--dir", folder);

    /// <summary>SIGKILL, as a crash would.</summary>
    public Task KillAsync() => InfraScript.RunAsync("rabbitmq.sh", "kill", "--dir", folder);

    /// <summary>rabbitmqctl against this node, e.g. <c>set_vm_memory_high_watermark 0</c>.</summary>
    public Task<string> CtlAsync(params string[] arguments) => InfraScript.RunAsync("rabbitmq.sh", ["ctl", "--dir", folder, "--", .. arguments]);
}
