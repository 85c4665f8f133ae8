namespace SoraEvents.Examples.Tests.Running;

/// <summary>Folders of the repository the tests were built from.</summary>
public static class RepositoryFolder
{
    /// <summary>The repository root: the folder above the test's output that holds <c>SoraEvents.sln</c>.</summary>
    public static string Root { get; } = FindRoot();

    public static string Of(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SoraEvents.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"SoraEvents.sln not found above {AppContext.BaseDirectory}");
    }
}
