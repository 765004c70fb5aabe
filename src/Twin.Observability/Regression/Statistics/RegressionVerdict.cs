namespace Twin.Observability.Regression.Statistics;

/// <summary>The whole run's outcome and one line saying which metrics decided it.</summary>
public sealed record RegressionVerdict(RegressionOutcome Outcome, string Reason);
