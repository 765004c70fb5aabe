namespace Twin.Observability.Alerts;

/// <summary>
/// What one evaluation decided: the rule's next state, the value it compared (the percentage change for
/// <c>increase_pct</c>), and the notifications to send. <see cref="Suppressed"/> names a notification the cooldown held back.
/// </summary>
public sealed record AlertEvaluation(AlertState Next, double? Value, bool Breaching, bool NoData, IReadOnlyList<AlertEventKind> Notify, string? Suppressed)
{
    public bool Changed(AlertState previous) => previous.Status != Next.Status || previous.Warning != Next.Warning || Notify.Count > 0;
}
