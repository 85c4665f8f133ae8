namespace SoraEvents.Cli.Output;

/// <summary>Plain text columns, aligned, with an upper-case header: readable in a terminal, a pipe or a log.</summary>
internal sealed class Table(params string[] headers)
{
    private readonly List<string[]> rows = [];

    public int Count => rows.Count;

    public Table Add(params string?[] cells)
    {
        if (cells.Length != headers.Length) throw new ArgumentException($"{cells.Length} cells for {headers.Length} columns");
        rows.Add(cells.Select(c => c ?? "").ToArray());
        return this;
    }

    public void WriteTo(TextWriter writer, string indent = "")
    {
        var widths = headers.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        WriteRow(writer, indent, headers.Select(h => h.ToUpperInvariant()).ToArray(), widths);
        foreach (var row in rows) WriteRow(writer, indent, row, widths);
    }

    private static void WriteRow(TextWriter writer, string indent, string[] cells, int[] widths) =>
        writer.WriteLine(indent + string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd());
}

/// <summary>Aligned "name  value" lines for one record; empty values are left out.</summary>
internal sealed class Fields
{
    private readonly List<(string Name, string Value)> lines = [];

    public Fields Add(string name, string? value)
    {
        if (!string.IsNullOrEmpty(value)) lines.Add((name, value));
        return this;
    }

    public void WriteTo(TextWriter writer, string indent = "")
    {
        if (lines.Count == 0) return;
        var width = lines.Max(l => l.Name.Length);
        foreach (var (name, value) in lines)
        {
            // A value of several lines (a stack trace) continues under its first line.
            var parts = value.Replace("\r\n", "\n").Split('\n');
            writer.WriteLine($"{indent}{name.PadRight(width)}  {parts[0]}".TrimEnd());
            foreach (var part in parts.Skip(1)) writer.WriteLine($"{indent}{new string(' ', width)}  {part}".TrimEnd());
        }
    }
}
