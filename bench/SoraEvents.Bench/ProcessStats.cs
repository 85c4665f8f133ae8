using System.Globalization;

namespace SoraEvents.Bench;

/// <summary>What Linux says about one process: CPU time used (utime + stime) and resident memory.</summary>
public static class ProcessStats
{
    /// <summary>Clock ticks per second of /proc/&lt;pid&gt;/stat (USER_HZ, 100 on every Linux this runs on).</summary>
    private const double TicksPerSecond = 100;

    /// <summary>CPU seconds the process has used so far, user and system.</summary>
    public static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name (field 2) may contain spaces: count fields after its closing parenthesis.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state); utime is field 14, stime field 15.
        var utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
        var stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
        return (utime + stime) / TicksPerSecond;
    }

    /// <summary>VmRSS in MB (10^6 bytes).</summary>
    public static double RssMB(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (!line.StartsWith("VmRSS:", StringComparison.Ordinal)) continue;
            var kb = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            return kb * 1024 / 1e6;
        }
        throw new InvalidOperationException($"/proc/{pid}/status has no VmRSS");
    }

    /// <summary>The SQLite store on disk: the database file plus its WAL and shared-memory files, in MB (10^6 bytes).</summary>
    public static double StoreMB(string databaseFile) =>
        new[] { databaseFile, databaseFile + "-wal", databaseFile + "-shm" }
            .Where(File.Exists).Sum(f => new FileInfo(f).Length) / 1e6;
}
