using FluentValidation;
using SoraEvents.Contracts;

namespace SoraEvents.Service.Submission;

public static class SubmissionRegistration
{
    public static IServiceCollection AddSubmission(this IServiceCollection services)
    {
        services.AddOptions<SubmissionOptions>().BindConfiguration(SubmissionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // FluentValidation's DI package is not served here; one validator needs no scanning anyway.
        services.AddSingleton<IValidator<GenerateVideo>, GenerateVideoValidator>();
        services.AddScoped<RequestChecks>();
        services.AddScoped<JobSubmitter>();
        return services;
    }

    /// <summary>Registered after the bus, so its first submissions meet a started bus.</summary>
    public static IServiceCollection AddQueuedJobDispatch(this IServiceCollection services) =>
        services.AddHostedService<QueuedJobDispatcher>();
}
