using System.Security.Cryptography;
using System.Text;

namespace SoraEvents.Simulator.Pixazo;

/// <summary>The gateway's API Management check of <c>Ocp-Apim-Subscription-Key</c>.</summary>
internal static class SubscriptionKey
{
    public static Rejection? Check(HttpRequest request, SimulatorOptions options)
    {
        string? presented = request.Headers[PixazoWire.SubscriptionKeyHeader];
        if (string.IsNullOrEmpty(presented))
        {
            return Rejection.Unauthorized("Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.");
        }

        if (string.IsNullOrEmpty(options.PixazoApiKey))
        {
            return null;
        }

        // Constant-time so the simulator does not teach clients a habit real gateways would punish.
        var matches = CryptographicOperations.FixedTimeEquals(
            Encoding.UTF8.GetBytes(presented),
            Encoding.UTF8.GetBytes(options.PixazoApiKey));
        return matches
            ? null
            : Rejection.Unauthorized("Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.");
    }
}
