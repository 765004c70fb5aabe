namespace Twin.Observability.Alerts;

public enum AlertSeverity
{
    Info,
    Warning,
    Critical,
}
