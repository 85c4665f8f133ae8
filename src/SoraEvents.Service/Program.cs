using SoraEvents.Service.ApiAccess;
using SoraEvents.Service.ApiDocs;
using SoraEvents.Service.Archiving;
using SoraEvents.Service.Configuration;
using SoraEvents.Service.Health;
using SoraEvents.Service.Jobs;
using SoraEvents.Service.Logging;
using SoraEvents.Service.Messaging;
using SoraEvents.Service.OutboundWebhooks;
using SoraEvents.Service.Providers;
using SoraEvents.Service.Scheduling;
using SoraEvents.Service.Submission;
using SoraEvents.Service.Telemetry;
using SoraEvents.Service.Videos;
using SoraEvents.Service.Webhooks;

InvalidSettings.ExitWithOneLineEach();
var builder = WebApplication.CreateBuilder(args);
builder.ListenOnDefaultAddressUnlessTold();
builder.AddServiceLogging();
builder.AddServiceTelemetry();

builder.Services.AddProblemDetails();
builder.Services.AddApiAccess();
builder.Services.AddApiDocs();
builder.Services.AddServiceHealth();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services
    .AddJobs()
    .AddArchiving()
    .AddProviders()
    .AddWebhooks()
    .AddSubmission()
    .AddVideoApi()
    .AddBus(builder.Configuration)
    .AddPeriodicWork()
    .AddOutboundWebhooks();

var app = builder.Build();
app.UseServiceRequestLogging();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseApiAccess();
app.MapVideos();
app.MapWebhooks();
app.MapServiceHealth();
app.MapApiDocs();
app.Run();

/// <summary>Visible to <c>WebApplicationFactory</c> in the tests.</summary>
public partial class Program;
