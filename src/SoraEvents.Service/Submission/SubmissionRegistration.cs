using FluentValidation;
using SoraEvents.Contracts;

namespace SoraEvents.Service.Submission;

public static class SubmissionRegistration
{
    public static IServiceCollection AddSubmission(this IServiceCollection services)
    {
        services.AddOptions<SubmissionOptions>().BindConfiguration(SubmissionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // Registered by hand rather than by FluentValidation's assembly scanning: there is one validator.
        services.AddSingleton<IValidator<GenerateVideo>, GenerateVideoValidator>();
        services.AddScoped<RequestChecks>();
        services.AddScoped<JobSubmitter>();
        // In every factory-built client, since the gateways' clients are built there: the submitter needs to know
        // whether a failed gateway call had started a request (see GatewayRequestWatch).
        services.ConfigureHttpClientDefaults(http => http.AddHttpMessageHandler(() => new GatewayRequestWatch()));
        return services;
    }

    /// <summary>
    /// The periodic work that keeps jobs moving without a message: submitting due jobs, status checks, deadlines,
    /// stranded terminal events and archive retries. Registered after the bus, so their first sweep meets a started bus.
    /// </summary>
    public static IServiceCollection AddPeriodicWork(this IServiceCollection services) => services
        .AddHostedService<QueuedJobDispatcher>()
        .AddHostedService<Polling.StatusPoller>()
        .AddHostedService<Jobs.DeadlineWatcher>()
        .AddHostedService<Jobs.TerminalEventRepublisher>()
        .AddHostedService<Archiving.ArchiveRetrier>();
}
