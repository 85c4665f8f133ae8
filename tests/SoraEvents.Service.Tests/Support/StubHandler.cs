using System.Net;
using System.Text;

namespace SoraEvents.Service.Tests.Support;

/// <summary>An HttpMessageHandler that answers every request with one canned response and remembers the requests.</summary>
public sealed class StubHandler(HttpStatusCode status, string body, Action<HttpResponseMessage>? shape = null) : HttpMessageHandler
{
    public List<(HttpRequestMessage Request, string? Body)> Requests { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        Requests.Add((request, request.Content is null ? null : await request.Content.ReadAsStringAsync(ct)));
        var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        shape?.Invoke(response);
        return response;
    }
}
