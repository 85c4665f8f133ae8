namespace SoraEvents.Examples.Tests.Running;

/// <summary>How a test runs <c>dotnet build</c> or <c>dotnet pack</c>: leaving no build server or MSBuild node behind.</summary>
public static class DotnetBuild
{
    public static IReadOnlyList<string> Quiet { get; } = ["-nologo", "-nodeReuse:false", "-p:UseSharedCompilation=false"];

    public static IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>
    {
        ["MSBUILDDISABLENODEREUSE"] = "1",
        ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
        ["DOTNET_NOLOGO"] = "1",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
    };
}
