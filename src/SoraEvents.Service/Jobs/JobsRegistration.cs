using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace SoraEvents.Service.Jobs;

public static class JobsRegistration
{
    public static IServiceCollection AddJobs(this IServiceCollection services)
    {
        services.AddOptions<StoreOptions>().BindConfiguration(StoreOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<JobsOptions>().BindConfiguration(JobsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // The SQL store is registered on its own as well: features that keep tables of their own in it (the outbound
        // webhooks' outbox) reach it directly, even where IJobStore is wrapped (the tests' fault injection).
        services.AddSingleton<SqlJobStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StoreOptions>>().Value;
            if (options.Provider == StoreOptions.Postgres) return new PostgresJobStore(options.ConnectionString);
            var environment = sp.GetRequiredService<IHostEnvironment>();
            return new SqliteJobStore(ResolveDataSource(options.ConnectionString, environment.ContentRootPath));
        });
        services.AddSingleton<IJobStore>(sp => sp.GetRequiredService<SqlJobStore>());
        services.AddHostedService<StoreInitializer>();
        services.AddSingleton<PublishedMarks>();
        services.AddScoped<TerminalEvents>();
        services.AddScoped<OutcomeApplier>();
        return services;
    }

    /// <summary>A relative SQLite file is placed under the content root, not wherever the process happened to start.</summary>
    private static string ResolveDataSource(string connectionString, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (!Path.IsPathRooted(builder.DataSource) && builder.DataSource != ":memory:")
            builder.DataSource = Path.GetFullPath(builder.DataSource, contentRoot);
        return builder.ToString();
    }
}
