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
        services.AddScoped<JobSubmitter>();
        return services;
    }
}
