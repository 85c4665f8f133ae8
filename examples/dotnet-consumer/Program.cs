using MassTransit;
using SoraEventsConsumer;

var builder = Host.CreateApplicationBuilder(args);

builder.Services.AddOptions<VideoRequestOptions>()
    .BindConfiguration(VideoRequestOptions.Section)
    .Validate(options => !string.IsNullOrWhiteSpace(options.Prompt), "Video:Prompt is required.")
    .ValidateOnStart();
builder.Services.AddSingleton<VideoOutcomes>();

builder.Services.AddMassTransit(bus =>
{
    // Queues named after this service (dotnet-consumer-example-video-outcome): each subscribing service needs its own.
    bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter("dotnet-consumer-example", includeNamespace: false));
    bus.AddConsumer<VideoOutcomeConsumer>();
    bus.UsingRabbitMq((context, rabbit) =>
    {
        rabbit.Host(new Uri(builder.Configuration["RabbitMq:Url"] ?? "amqp://guest:guest@localhost:5672/"));
        rabbit.ConfigureEndpoints(context);
    });
});
// The command goes out only once this service's queues are bound to the event exchanges, so no outcome is missed.
builder.Services.Configure<MassTransitHostOptions>(options => options.WaitUntilStarted = true);
builder.Services.AddHostedService<RequestOneVideo>();

await builder.Build().RunAsync();
