using System.Text;

namespace Twin.Observability.Alerts;

/// <summary>
/// A channel as the <c>AlertRules</c> table keeps it: the URL, and the secret either encrypted
/// (<see cref="AlertSecretProtector"/>) or as the name of the app setting that holds it.
/// </summary>
public sealed record StoredAlertChannel(string Type, string Url, string? SecretCipher, string? SecretSetting)
{
    public AlertChannelType ChannelType => AlertRuleValues.ChannelTypeOf(Type);

    public AlertChannelView View() => new(Type, Redact(Url), SecretCipher is not null || SecretSetting is not null, SecretSetting);

    /// <summary>
    /// The URL without what makes it a credential: a Slack webhook's last path segment and every query value (Teams
    /// workflow URLs carry their <c>sig</c> there). What remains still tells an admin which channel it is.
    /// </summary>
    public static string Redact(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return "***";
        }

        var path = uri.AbsolutePath;
        var trimmed = path.TrimEnd('/');
        var lastSlash = trimmed.LastIndexOf('/');
        if (uri.Host.EndsWith("slack.com", StringComparison.OrdinalIgnoreCase) && lastSlash >= 0 && trimmed.Length - lastSlash > 1)
        {
            path = trimmed[..(lastSlash + 1)] + "***" + path[trimmed.Length..];
        }

        var redacted = new StringBuilder().Append(uri.Scheme).Append("://").Append(uri.Authority).Append(path);
        if (uri.Query.Length > 1)
        {
            var pairs = uri.Query[1..].Split('&').Select(pair => pair.Split('=', 2)[0] + "=***");
            redacted.Append('?').AppendJoin('&', pairs);
        }

        return redacted.ToString();
    }
}
