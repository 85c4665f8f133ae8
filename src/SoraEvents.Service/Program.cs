using SoraEvents.Service.Archiving;
using SoraEvents.Service.Health;
using SoraEvents.Service.Jobs;
using SoraEvents.Service.Logging;
using SoraEvents.Service.Messaging;
using SoraEvents.Service.Providers;
using SoraEvents.Service.Submission;
using SoraEvents.Service.Telemetry;
using SoraEvents.Service.Videos;
using SoraEvents.Service.Webhooks;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceLogging();

builder.Services.AddProblemDetails();
builder.Services.AddServiceHealth();
builder.Services.AddServiceTelemetry();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services
    .AddJobs()
    .AddArchiving()
    .AddProviders()
    .AddWebhooks()
    .AddSubmission()
    .AddVideoApi()
    .AddBus(builder.Configuration)
    .AddPeriodicWork();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapVideos();
app.MapWebhooks();
app.MapServiceHealth();
app.Run();

/// <summary>Visible to <c>WebApplicationFactory</c> in the tests.</summary>
public partial class Program;
