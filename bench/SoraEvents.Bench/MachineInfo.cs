using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using SoraEvents.Testing;

namespace SoraEvents.Bench;

/// <summary>The machine the figures were measured on.</summary>
public sealed record MachineInfo(string Cpu, int Cores, double MemoryGiB, string Os, string Kernel, string Dotnet, string RabbitMq, string Wrk)
{
    public static async Task<MachineInfo> DescribeAsync()
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        var memKb = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        var os = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?.Split('=', 2)[1].Trim('"') ?? "?"
            : RuntimeInformation.OSDescription;
        var kernel = File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : "?";
        return new MachineInfo(cpu, Environment.ProcessorCount, double.Parse(memKb, System.Globalization.CultureInfo.InvariantCulture) / 1024 / 1024,
            os, kernel, RuntimeInformation.FrameworkDescription, await RabbitMqVersionAsync(), await SoraEvents.Bench.Wrk.VersionAsync());
    }

    private static async Task<string> RabbitMqVersionAsync()
    {
        try
        {
            var url = new Uri(Environment.GetEnvironmentVariable("RabbitMq__ManagementUrl") ?? "http://127.0.0.1:15672/");
            using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(5) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.ASCII.GetBytes(RabbitMqFixture.AmqpBase.UserInfo)));
            var overview = await http.GetFromJsonAsync<JsonElement>("api/overview");
            return $"RabbitMQ {overview.GetProperty("rabbitmq_version").GetString()} (Erlang {overview.GetProperty("erlang_version").GetString()})";
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
        {
            return "RabbitMQ ?";
        }
    }
}
