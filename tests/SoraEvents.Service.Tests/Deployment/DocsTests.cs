namespace SoraEvents.Service.Tests.Deployment;

/// <summary>What a newcomer reads must be true and complete: the README's first steps, citations that resolve, no stale notes.</summary>
public sealed class DocsTests
{
    private static string Read(params string[] path) => File.ReadAllText(Path.Combine([ServiceRun.RepositoryRoot(), .. path]));

    private static IEnumerable<string> Files(string folder, string pattern) =>
        Directory.EnumerateFiles(Path.Combine(ServiceRun.RepositoryRoot(), folder), pattern, SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    [Fact]
    public void Readme_says_how_to_choose_the_port_lists_the_job_listing_and_what_the_simulators_video_is()
    {
        var readme = string.Join(' ', Read("README.md").Split('\n').Select(l => l.TrimEnd('\r'))); // lines wrap anywhere

        Assert.Contains("ASPNETCORE_URLS=", readme);
        Assert.Contains("--urls", readme);
        Assert.Contains("curl -s 'http://localhost:5080/v1/videos?", readme);
        Assert.Contains("`GET /v1/videos` lists", readme);
        Assert.Contains("tiny one-second clip, whatever length", readme);
        Assert.Contains("its URLs die with the process", readme);
    }

    [Fact]
    public void Docs_and_sources_cite_the_gateways_public_pages_not_documents_outside_the_repository()
    {
        var cited = Files("src", "*.md").Concat(Files("docs", "*.md")).Concat(Files("src", "*.cs")).Append(Path.Combine(ServiceRun.RepositoryRoot(), "README.md"));

        Assert.All(cited, file => Assert.DoesNotContain("shared/providers", File.ReadAllText(file)));
        var gateways = Read("docs", "gateways.md");
        Assert.Contains("https://www.pixazo.ai/models/sora", gateways);
        Assert.Contains("https://apixo.ai/docs/models/video/sora-2-pro", gateways);
        Assert.Contains("docs/gateways.md", Read("src", "SoraEvents.Simulator", "README.md"));
    }

    [Fact]
    public void No_comment_says_a_package_is_not_served_and_the_benchmarks_name_no_issue()
    {
        var sources = Files("src", "*.cs").Append(Path.Combine(ServiceRun.RepositoryRoot(), "Directory.Packages.props"));

        // About packages only: a model that is "not served here" is an API answer, not a stale comment.
        var stale = new System.Text.RegularExpressions.Regex(@"(?i)(package|nuget|mirror|\bpin).*not served|not served.*(package|nuget|mirror)");
        Assert.All(sources, file => Assert.DoesNotMatch(stale, File.ReadAllText(file)));
        Assert.DoesNotContain("(issue ", Read("docs", "benchmarks.md"));
    }
}
