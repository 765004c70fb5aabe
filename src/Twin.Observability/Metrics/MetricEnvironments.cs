namespace Twin.Observability.Metrics;

/// <summary>
/// The environments of the app's own traffic: synthetic checks, regression runs and prompt playground runs. Their
/// chats are ledger rows and traces like any other, but they are not users: every metric, cost figure and alert on
/// them would measure the monitoring or the experimenting, so rollup totals and queries leave them out. They keep their own rollup detail rows, and their results
/// are reported where they run (monitoring status, regression runs, the playground's answers).
/// </summary>
public static class MetricEnvironments
{
    public const string Synthetic = "synthetic";
    public const string Regression = "regression";
    public const string Playground = "playground";

    public static bool IsUserTraffic(string? environment) => environment is not (Synthetic or Regression or Playground);
}
