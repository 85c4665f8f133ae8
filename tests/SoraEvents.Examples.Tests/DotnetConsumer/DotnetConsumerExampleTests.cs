using SoraEvents.Examples.Tests.Running;

namespace SoraEvents.Examples.Tests.DotnetConsumer;

/// <summary>
/// examples/dotnet-consumer built the way an outside team builds it: against <c>SoraEvents.Contracts</c> packed into
/// a local feed (no project reference), with the machine's NuGet source for the rest, then run against the real
/// broker and the service.
/// </summary>
[Collection(ExamplesCollection.Name)]
public sealed class DotnetConsumerExampleTests(RabbitMqFixture broker) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);
    private readonly string workFolder = Path.Combine(Path.GetTempPath(), "soraevents-tests", "examples-" + Guid.NewGuid().ToString("N"));
    private ContractsPackage? package;
    private ServiceOnBroker service = null!;

    public async Task InitializeAsync() => service = await ServiceOnBroker.StartAsync(broker);

    public async Task DisposeAsync()
    {
        await service.DisposeAsync();
        try { Directory.Delete(workFolder, recursive: true); } catch (IOException) { }
        // This run's own prerelease of the contracts, restored into the machine's NuGet cache; everything else stays warm.
        if (package is not null)
            try { Directory.Delete(Path.Combine(GlobalPackagesFolder(), ContractsPackage.Id.ToLowerInvariant(), package.Version.ToLowerInvariant()), recursive: true); }
            catch (DirectoryNotFoundException) { }
    }

    [Fact]
    public async Task The_dotnet_example_gets_VideoCompleted_for_its_job_through_the_packed_contracts()
    {
        var example = CopyExample();
        package = await ContractsPackage.PackAsync(Path.Combine(example, "local-feed"), Path.Combine(workFolder, "contracts"), Patience);

        Assert.Equal(["MassTransit.Abstractions [8.0.0, 9.0.0)"], package.Dependencies());
        Assert.Contains("lib/net10.0/SoraEvents.Contracts.xml", package.Files());
        Assert.Contains("README.md", package.Files());
        Assert.Equal("README.md", package.ManifestReadme());

        var build = await ProgramRun.RunAsync("dotnet",
            ["build", "-c", "Release", $"-p:SoraEventsContractsVersion={package.Version}", .. DotnetBuild.Quiet],
            example, DotnetBuild.Environment, Patience);
        Assert.True(build.ExitCode == 0, build.ToString());

        var jobId = Guid.NewGuid();
        var run = await ProgramRun.RunAsync("dotnet", [Path.Combine(example, "bin", "Release", "net10.0", "SoraEventsConsumer.dll")], example,
            new Dictionary<string, string>
            {
                ["RabbitMq__Url"] = service.AmqpUrl.AbsoluteUri,
                ["Video__JobId"] = jobId.ToString(),
                ["Video__Patience"] = Patience.ToString(),
            }, Patience + TimeSpan.FromSeconds(30));

        Assert.True(run.ExitCode == 0, $"{run}\n--- service ---\n{service.Process.Output}");
        Assert.Contains(run.Lines, line => line.StartsWith($"VideoCompleted {jobId} ", StringComparison.Ordinal));
    }

    /// <summary>
    /// The example with its examples/ settings, copied out of the repository, so it builds exactly as it would
    /// elsewhere and leaves no build output in the working tree.
    /// </summary>
    private string CopyExample()
    {
        var examples = RepositoryFolder.Of("examples");
        var target = Path.Combine(workFolder, "examples");
        foreach (var settings in new[] { "Directory.Build.props", "Directory.Packages.props" })
            CopyFile(Path.Combine(examples, settings), Path.Combine(target, settings));
        var source = Path.Combine(examples, "dotnet-consumer");
        var copy = Path.Combine(target, "dotnet-consumer");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.Split(Path.DirectorySeparatorChar)[0] is "bin" or "obj" or "local-feed") continue;
            CopyFile(file, Path.Combine(copy, relative));
        }
        return copy;
    }

    private static void CopyFile(string from, string to)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        File.Copy(from, to);
    }

    private static string GlobalPackagesFolder() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } folder
            ? folder
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}
