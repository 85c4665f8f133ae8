using Microsoft.Extensions.Options;
using SoraEvents.Service.Providers;

namespace SoraEvents.Service.Videos;

/// <summary>
/// The model ids the API accepts: <c>sora-2-pro</c>, each configured gateway's model, and the aliases of
/// <c>Api:ModelAliases</c>. Checked before the job is accepted, so an unknown model is a 400 and never a paid refusal.
/// </summary>
public sealed class ModelCatalog(IOptions<ProvidersOptions> providers, IOptions<VideoApiOptions> api)
{
    public const string DefaultModel = "sora-2-pro";

    /// <summary>The models the gateways serve, in a stable order.</summary>
    public IReadOnlyList<string> Served =>
        new[] { DefaultModel, providers.Value.Pixazo.Model, providers.Value.Apixo.Model }.Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The model a job without one gets: the default gateway's.</summary>
    public string Default =>
        providers.Value.Default == Contracts.VideoProviders.Apixo ? providers.Value.Apixo.Model : providers.Value.Pixazo.Model;

    /// <summary>The served model <paramref name="requested"/> names (itself or through an alias), or null when it names none.</summary>
    public string? Resolve(string requested)
    {
        if (Served.Contains(requested, StringComparer.Ordinal)) return requested;
        return api.Value.ModelAliases.TryGetValue(requested, out var target) && Served.Contains(target, StringComparer.Ordinal) ? target : null;
    }

    /// <summary>What to tell a caller whose model is not served.</summary>
    public string Refusal(string requested)
    {
        var aliases = api.Value.ModelAliases.Where(a => Served.Contains(a.Value, StringComparer.Ordinal)).Select(a => $"{a.Key} (= {a.Value})").ToList();
        return $"model '{requested}' is not served here; use {string.Join(", ", Served)}" +
               (aliases.Count > 0 ? $", or an alias: {string.Join(", ", aliases)}." : $" (aliases can be added with Api__ModelAliases__<alias>=<model>).");
    }
}
