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
}
