using SoraEvents.Cli.Output;

namespace SoraEvents.Cli.Watch;

/// <summary>Events as aligned lines (fixed widths, since a stream cannot measure its rows first) or JSON lines.</summary>
internal sealed class EventPrinter(TextWriter output, bool json)
{
    private bool header;

    public async Task WriteAsync(BusEvent e)
    {
        if (json)
        {
            await JsonOutput.WriteLineAsync(output, e.ToJson());
        }
        else
        {
            if (!header)
            {
                await output.WriteLineAsync(Line("TIME", "EVENT", "JOB ID", "PROVIDER", "DETAIL"));
                header = true;
            }
            await output.WriteLineAsync(Line(Text.Time(e.SentTime ?? DateTimeOffset.UtcNow), e.Type, e.JobId?.ToString() ?? "-",
                e.Field("provider") ?? "-", Text.OneLine(e.Detail, 160)));
        }
        await output.FlushAsync();
    }

    private static string Line(string time, string type, string job, string provider, string detail) =>
        $"{time,-20}  {type,-14}  {job,-36}  {provider,-8}  {detail}".TrimEnd();
}
