using Microsoft.Extensions.Logging;

namespace Twin.Observability.Alerts.Channels;

/// <summary>The alert channels' log lines. Targets are always <see cref="AlertTarget.Describe"/>d: no query, no Slack token, no secret.</summary>
internal static partial class AlertChannelsLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Alert {NotificationId} ({Kind}) delivered to {Channel} {Target} after {Attempts} attempt(s), HTTP {StatusCode}")]
    public static partial void Delivered(ILogger logger, string notificationId, AlertEventKind kind, AlertChannelType channel, string target, int attempts, int statusCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {NotificationId} ({Kind}) not delivered to {Channel} {Target} after {Attempts} attempt(s): {Error}")]
    public static partial void NotDelivered(ILogger logger, string notificationId, AlertEventKind kind, AlertChannelType channel, string target, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert send to {Target}: attempt {Attempt} failed ({Outcome}); retrying in {DelayMs} ms")]
    public static partial void Retrying(ILogger logger, string target, int attempt, string outcome, double delayMs);
}
