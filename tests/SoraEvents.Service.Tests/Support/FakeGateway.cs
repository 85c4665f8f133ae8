using System.Collections.Concurrent;
using SoraEvents.Contracts;
using SoraEvents.Service.Providers;
using SoraEvents.Service.Providers.Apixo;
using SoraEvents.Service.Providers.Pixazo;

namespace SoraEvents.Service.Tests.Support;

/// <summary>A gateway for harness tests: answers as told, records every call, reads callbacks as the gateway it is named after.</summary>
public sealed class FakeGateway(string name = VideoProviders.Pixazo) : IVideoGateway
{
    private int submitCount;

    public string Name => name;

    public GatewayLimits Limits { get; set; } = new(null, null);

    public PollSchedule Polling { get; set; } = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(200));

    public IReadOnlyList<string> Refusals(GenerateVideo request, RequestImage? image) => PixazoCapabilities.Refusals(request, image);

    public ConcurrentQueue<(GenerateVideo Request, Uri CallbackUrl)> Submissions { get; } = new();

    public int SubmitCount => submitCount;

    private int statusQueries;

    public int StatusQueries => statusQueries;

    /// <summary>Decides each submission by its 1-based call number; by default every call is accepted.</summary>
    public Func<int, GenerateVideo, GatewaySubmission> OnSubmit { get; set; } = (n, r) => new GatewaySubmission($"{(name == VideoProviders.Pixazo ? "fake" : name)}_{r.JobId:N}_{n}");

    public GatewayOutcome StatusAnswer { get; set; } = new GatewayOutcome.Pending("QUEUED");

    public Task<GatewaySubmission> SubmitAsync(GenerateVideo request, Uri callbackUrl, CancellationToken ct)
    {
        Submissions.Enqueue((request, callbackUrl));
        return Task.FromResult(OnSubmit(Interlocked.Increment(ref submitCount), request));
    }

    public GatewayOutcome ReadCallback(string body) =>
        name == VideoProviders.Apixo ? ApixoOutcomes.Read(body) : PixazoOutcomes.Read(body);

    public Task<GatewayOutcome> GetStatusAsync(GenerateVideo request, string providerRequestId, CancellationToken ct)
    {
        Interlocked.Increment(ref statusQueries);
        return Task.FromResult(StatusAnswer with { ProviderRequestId = providerRequestId });
    }
}
