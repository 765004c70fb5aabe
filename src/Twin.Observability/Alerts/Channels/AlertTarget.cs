namespace Twin.Observability.Alerts.Channels;

/// <summary>
/// What a log line or a result may say about where a notification went: scheme, host, port and path, never the
/// query (a Teams workflow URL signs with <c>sig=</c> there), user info or fragment. A Slack incoming webhook's path
/// is itself the credential (<c>/services/T…/B…/&lt;token&gt;</c>), so for a Slack channel (or any hooks.slack.com URL)
/// its last segment is masked too.
/// </summary>
public static class AlertTarget
{
    public static string Describe(Uri url, AlertChannelType? type = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri)
        {
            return "(relative URL)";
        }

        var target = url.GetComponents(UriComponents.Scheme | UriComponents.Host | UriComponents.Port | UriComponents.Path, UriFormat.UriEscaped);
        var slack = type == AlertChannelType.Slack || url.Host.Equals("hooks.slack.com", StringComparison.OrdinalIgnoreCase);
        if (slack && target.LastIndexOf('/') is var slash and > 0 && slash < target.Length - 1)
        {
            return target[..(slash + 1)] + "***";
        }

        return target;
    }
}
