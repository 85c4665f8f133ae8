using System.Net.Http.Json;
using System.Text.Json;

namespace SoraEvents.Service.Tests.Archiving;

/// <summary>
/// The embedded default with an archive: the built-in simulator serves its videos over plain http on loopback, and
/// its own origin is trusted without Archive__AllowPrivateNetworks or Archive__AllowPlainHttp.
/// </summary>
public sealed class ArchiveFromBuiltInSimulatorTests : IAsyncLifetime
{
    private readonly ServiceFactory factory = new();
    private readonly string archive = Path.Combine(Path.GetTempPath(), "soraevents-archive-tests", Guid.NewGuid().ToString("N"));
    private HttpClient client = null!;

    public Task InitializeAsync()
    {
        factory.Settings["Archive:Path"] = archive;
        // A real port, so the simulator's callbacks come back over HTTP as in the embedded default.
        factory.UseKestrel(0);
        factory.StartServer();
        client = factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await factory.DisposeAsync();
        if (Directory.Exists(archive)) Directory.Delete(archive, recursive: true);
    }

    [Fact]
    public async Task Video_of_the_built_in_simulator_is_archived_with_private_networks_still_refused()
    {
        var post = await client.PostAsJsonAsync("/v1/videos", new { prompt = "A serene beach" });
        var jobId = (await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        JsonElement view = default;
        await Eventually.TrueAsync(async () =>
        {
            view = await client.GetFromJsonAsync<JsonElement>($"/v1/videos/{jobId}");
            return view.GetProperty("archived_location").ValueKind == JsonValueKind.String || view.GetProperty("status").GetString() == "failed";
        }, TimeSpan.FromSeconds(30), "the archived copy");

        Assert.Equal("completed", view.GetProperty("status").GetString());
        Assert.StartsWith("http://127.0.0.1:", view.GetProperty("video_url").GetString());
        Assert.True(new FileInfo(view.GetProperty("archived_location").GetString()!).Length > 0);
        Assert.NotEmpty(factory.Logs.Mentioning("Archive downloads may reach the built-in simulator"));
    }
}
