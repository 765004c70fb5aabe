namespace Twin.Observability.Alerts;

/// <summary>What a notification reports: a rule began firing, is still firing (re-notification), crossed only its warning threshold, or recovered.</summary>
public enum AlertEventKind
{
    Firing,
    Renotify,
    Warning,
    Resolved,
}
