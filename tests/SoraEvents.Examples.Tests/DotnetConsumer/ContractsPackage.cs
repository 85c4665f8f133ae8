using System.IO.Compression;
using System.Xml.Linq;
using SoraEvents.Examples.Tests.Running;

namespace SoraEvents.Examples.Tests.DotnetConsumer;

/// <summary>
/// <c>SoraEvents.Contracts</c> packed by <c>dotnet pack</c> into a local feed folder, under a prerelease version of
/// its own: a package once restored stays in the machine's NuGet cache under its version, so only a version no
/// earlier run used proves the example was built against this very package.
/// </summary>
public sealed class ContractsPackage
{
    private ContractsPackage(string path, string version)
    {
        Path = path;
        Version = version;
    }

    public const string Id = "SoraEvents.Contracts";

    public string Path { get; }

    public string Version { get; }

    /// <summary>Packs into <paramref name="feed"/>; builds into <paramref name="scratch"/>, so the repository's own build output is left as it is.</summary>
    public static async Task<ContractsPackage> PackAsync(string feed, string scratch, TimeSpan patience)
    {
        var suffix = $"test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Guid.NewGuid().ToString("N")[..8]}";
        var pack = await ProgramRun.RunAsync("dotnet",
        [
            "pack", RepositoryFolder.Of("src", "SoraEvents.Contracts"), "-c", "Release", "--no-restore", "-o", feed,
            "--version-suffix", suffix, $"-p:OutDir={scratch}/bin/", $"-p:IntermediateOutputPath={scratch}/obj/", .. DotnetBuild.Quiet,
        ], RepositoryFolder.Root, DotnetBuild.Environment, patience);
        Assert.True(pack.ExitCode == 0, pack.ToString());

        var packages = Directory.GetFiles(feed, $"{Id}.*.nupkg");
        var package = Assert.Single(packages);
        var version = System.IO.Path.GetFileNameWithoutExtension(package)[(Id.Length + 1)..];
        Assert.EndsWith(suffix, version);
        return new ContractsPackage(package, version);
    }

    /// <summary>The package's .nuspec manifest.</summary>
    public XDocument Manifest()
    {
        using var archive = ZipFile.OpenRead(Path);
        using var stream = archive.GetEntry($"{Id}.nuspec")!.Open();
        return XDocument.Load(stream);
    }

    /// <summary>Every file name in the package, e.g. <c>lib/net10.0/SoraEvents.Contracts.xml</c>.</summary>
    public IReadOnlyList<string> Files()
    {
        using var archive = ZipFile.OpenRead(Path);
        return archive.Entries.Select(e => e.FullName).ToList();
    }

    /// <summary>Each dependency as <c>id version-range</c>, over every target framework group.</summary>
    public IReadOnlyList<string> Dependencies() =>
        Manifest().Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(e => $"{e.Attribute("id")?.Value} {e.Attribute("version")?.Value}")
            .ToList();

    /// <summary>The readme the manifest names (NuGet shows it on the package's page).</summary>
    public string? ManifestReadme() =>
        Manifest().Descendants().FirstOrDefault(e => e.Name.LocalName == "readme")?.Value;
}
