namespace SoraEvents.Cli;

/// <summary>Where a command writes and reads: the process's console, or a test's writers.</summary>
internal sealed record CliConsole(TextWriter Out, TextWriter Error, TextReader In);
