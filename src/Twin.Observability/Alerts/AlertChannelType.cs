namespace Twin.Observability.Alerts;

/// <summary>Where a rule's notifications go: a Slack incoming webhook, a Teams workflow, PagerDuty Events v2, or a signed generic webhook.</summary>
public enum AlertChannelType
{
    Slack,
    Teams,
    PagerDuty,
    Webhook,
}
