using Npgsql;

namespace SoraEvents.Service.Tests.Deployment;

/// <summary>
/// infra/rabbitmq.sh and infra/postgres.sh start private servers, each in a folder of its own, and signal only
/// what they started: stopping, killing and restarting one server leaves any other server on the machine as it was.
/// </summary>
public sealed class PrivateServersTests
{
    [Fact]
    public async Task Stopping_killing_and_restarting_one_node_leaves_another_node_running_untouched()
    {
        var foreign = new PrivateRabbitMqNode();
        var ours = new PrivateRabbitMqNode();
        await foreign.InitializeAsync();
        try
        {
            var before = await OsPidAsync(foreign);
            await ours.InitializeAsync();
            var oursBefore = await OsPidAsync(ours);

            await ours.KillAsync();
            Assert.False(IsAlive(oursBefore), "the killed node's VM is gone");
            Assert.Equal(before, await OsPidAsync(foreign));
            await ours.StartAsync();
            await ours.StopAsync();
            await ours.StartAsync();
            var oursRestarted = await OsPidAsync(ours);
            await ours.DisposeAsync();
            Assert.False(IsAlive(oursRestarted), "the stopped node's VM is gone");

            Assert.Equal(before, await OsPidAsync(foreign));
            Assert.NotEqual(oursBefore, before);
            Assert.True(IsAlive(before), "the other node's VM still runs");
        }
        finally
        {
            await foreign.DisposeAsync();
        }
    }

    [Fact]
    public async Task Stopping_and_killing_one_postgres_server_leaves_another_server_running_untouched()
    {
        var foreignDir = Path.Combine(InfraScript.ServersFolder, $"postgres-{Guid.NewGuid():N}"[..21]);
        var oursDir = Path.Combine(InfraScript.ServersFolder, $"postgres-{Guid.NewGuid():N}"[..21]);
        var foreign = InfraScript.ParseExports(await InfraScript.RunAsync("postgres.sh", "start", "--dir", foreignDir))["POSTGRES_TEST_URL"];
        try
        {
            var started = await StartTimeAsync(foreign);
            var ours = InfraScript.ParseExports(await InfraScript.RunAsync("postgres.sh", "start", "--dir", oursDir))["POSTGRES_TEST_URL"];
            Assert.NotEqual(foreign, ours);
            await InfraScript.RunAsync("postgres.sh", "kill", "--dir", oursDir);
            await InfraScript.RunAsync("postgres.sh", "restart", "--dir", oursDir);
            Assert.NotEqual(default, await StartTimeAsync(ours)); // came back on the same port
            await InfraScript.RunAsync("postgres.sh", "stop", "--dir", oursDir);

            Assert.Equal(started, await StartTimeAsync(foreign));
        }
        finally
        {
            await InfraScript.RunAsync("postgres.sh", "stop", "--dir", oursDir);
            await InfraScript.RunAsync("postgres.sh", "stop", "--dir", foreignDir);
        }
    }

    /// <summary>The node's VM, after checking that the node answers.</summary>
    private static async Task<long> OsPidAsync(PrivateRabbitMqNode node)
    {
        await node.ManagementGetAsync("api/overview");
        return node.VmPid;
    }

    /// <summary>Alive and not a zombie waiting to be reaped.</summary>
    private static bool IsAlive(long pid) =>
        File.Exists($"/proc/{pid}/stat") && File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2] != "Z";

    private static async Task<DateTime> StartTimeAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_postmaster_start_time()", connection);
        return (DateTime)(await command.ExecuteScalarAsync())!;
    }
}
