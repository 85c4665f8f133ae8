using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace SoraEvents.Simulator.Apixo;

/// <summary>APIXO's <c>Authorization: Bearer &lt;key&gt;</c> check.</summary>
internal static class ApixoBearerKey
{
    public static bool IsValid(HttpRequest request, SimulatorOptions options)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            || !header.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase)
            || string.IsNullOrWhiteSpace(header.Parameter))
        {
            return false;
        }

        if (string.IsNullOrEmpty(options.ApixoApiKey))
        {
            return true;
        }

        // Constant-time so the simulator does not teach clients a habit real gateways would punish.
        return CryptographicOperations.FixedTimeEquals(
            Encoding.UTF8.GetBytes(header.Parameter),
            Encoding.UTF8.GetBytes(options.ApixoApiKey));
    }
}
