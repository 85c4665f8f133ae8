using System.Net.Http.Headers;

namespace SoraEvents.Service.Providers;

internal static class HttpRetryAfter
{
    /// <summary>The <c>Retry-After</c> of a response as a delay from now, whether sent as seconds or as a date.</summary>
    public static TimeSpan? From(HttpResponseHeaders headers, TimeProvider time)
    {
        var value = headers.RetryAfter;
        if (value?.Delta is { } delta) return delta;
        if (value?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }
}
