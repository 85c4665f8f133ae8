using Serilog.Core;
using Serilog.Events;

namespace SoraEvents.Service.Logging;

/// <summary>
/// Every event about a job carries both <c>JobId</c> and <c>Provider</c>, so a log search by either finds the
/// whole story; where no gateway is involved yet, <c>Provider</c> says so explicitly.
/// </summary>
public sealed class JobContextEnricher : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        if (logEvent.Properties.ContainsKey("JobId"))
            logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("Provider", "none"));
    }
}
