namespace Twin.Observability.Metrics;

/// <summary>
/// The environments of the app's own traffic: synthetic checks and regression runs. Their chats are ledger rows and
/// traces like any other, but they are not users: every metric, cost figure and alert on them would measure the
/// monitoring, so rollup totals and queries leave them out. They keep their own rollup detail rows, and their results
/// are reported where they run (monitoring status, regression runs).
/// </summary>
public static class MetricEnvironments
{
    public const string Synthetic = "synthetic";
    public const string Regression = "regression";

    public static bool IsUserTraffic(string? environment) => environment is not (Synthetic or Regression);
}
