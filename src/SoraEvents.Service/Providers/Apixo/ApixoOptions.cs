using System.ComponentModel.DataAnnotations;

namespace SoraEvents.Service.Providers.Apixo;

/// <summary>APIXO's connection, its documented limits, and its routing strategy.</summary>
public sealed class ApixoOptions : GatewayOptions
{
    public ApixoOptions()
    {
        BaseUrl = "https://api.apixo.ai";
        RequestsPerMinute = 60;
        ConcurrentTasks = 10;
        // The document: "Submit task, wait 120 seconds, then poll every 5 seconds."
        PollAfterSeconds = 120;
        PollEverySeconds = 5;
    }

    /// <summary>
    /// APIXO's <c>provider</c> field: <c>auto</c>, <c>value</c> or <c>official</c>. The official route always
    /// makes 12-second videos, so it changes which durations a request may ask for.
    /// </summary>
    [Required]
    [RegularExpression("^(auto|value|official)$", ErrorMessage = "Providers:Apixo:Route must be auto, value or official.")]
    public string Route { get; set; } = "auto";

    public bool IsOfficialRoute => Route == "official";
}
