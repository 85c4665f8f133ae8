namespace SoraEvents.Service.Submission;

/// <summary>
/// Tells the submitter whether a gateway call got as far as starting an HTTP request. Until one has started,
/// nothing can have reached the gateway, so a claim can be given back whatever went wrong (the request budget's
/// store failing, a shutdown while waiting for that budget). It sits in every HttpClient the factory builds,
/// because that is where the gateways' clients come from; outside a watched submission it only passes requests on.
/// </summary>
public sealed class GatewayRequestWatch : DelegatingHandler
{
    private static readonly AsyncLocal<Watched?> Current = new();

    /// <summary>Watches the HTTP requests started from here on in the calling async flow.</summary>
    public static Watched Start() => Current.Value = new Watched();

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (Current.Value is { } watched) watched.RequestStarted = true;
        return base.SendAsync(request, cancellationToken);
    }

    public sealed class Watched
    {
        private volatile bool requestStarted;

        /// <summary>True from the moment an HTTP request was handed to the network stack: it may have arrived.</summary>
        public bool RequestStarted
        {
            get => requestStarted;
            set => requestStarted = value;
        }
    }
}
