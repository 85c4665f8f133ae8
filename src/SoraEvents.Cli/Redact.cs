namespace SoraEvents.Cli;

/// <summary>Keeps passwords out of everything the CLI prints.</summary>
internal static class Redact
{
    public static string Url(Uri url)
    {
        if (string.IsNullOrEmpty(url.UserInfo)) return url.ToString();
        var user = url.UserInfo.Split(':')[0];
        return new UriBuilder(url) { UserName = Uri.UnescapeDataString(user), Password = url.UserInfo.Contains(':') ? "***" : "" }.Uri.ToString();
    }

    public static string Url(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) ? Url(uri) : text;
}
