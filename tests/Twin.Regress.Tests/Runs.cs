namespace Twin.Regress.Tests;

/// <summary>Status documents as the app answers them (camelCase JSON).</summary>
internal static class Runs
{
    public static object Progress(string status, int done, int total = 10, int failed = 0) => new
    {
        id = FakeRegressionApp.RunId,
        name = "nightly",
        status,
        dataset = "golden",
        twinId = "twin-1",
        createdAt = "2026-12-05T00:00:00Z",
        progress = new { total, done, failed },
        metrics = new Dictionary<string, object>(),
        comparison = (object?)null,
        verdict = (string?)null,
    };

    public static object Finished(string verdict, object? comparison = null, string reason = "scripted", int total = 10) => new
    {
        id = FakeRegressionApp.RunId,
        name = "nightly",
        status = "finished",
        dataset = "golden",
        twinId = "twin-1",
        createdAt = "2026-12-05T00:00:00Z",
        finishedAt = "2026-12-05T00:05:00Z",
        progress = new { total, done = total, failed = 0 },
        metrics = new Dictionary<string, object>
        {
            ["groundedness"] = new { mean = 0.82, p50 = 0.85, min = 0.4, count = total },
            ["relevance"] = new { mean = 0.9, p50 = 0.92, min = 0.6, count = total },
            ["correctness"] = new { mean = 0.7, p50 = 0.75, min = 0.1, count = total },
        },
        passRate = 0.9,
        latencyMs = new { mean = 1234.5, p50 = 1100.0 },
        costUsd = 0.0421,
        comparison,
        verdict,
        reason,
    };

    public static object Comparison(string verdict, params (string Metric, string Outcome)[] metrics) => new
    {
        baseline = new { name = "main", version = 3, testId = "run-7" },
        metrics = metrics.Select(m => new
        {
            metric = m.Metric,
            pairs = 10,
            baselineMean = 0.85,
            candidateMean = m.Outcome == "fail" ? 0.7 : 0.84,
            delta = m.Outcome == "fail" ? -0.15 : -0.01,
            pValue = m.Outcome == "fail" ? 0.001 : 0.4,
            ciLow = -0.2,
            ciHigh = 0.05,
            tolerance = 0.05,
            outcome = m.Outcome,
        }).ToArray(),
        regressions = metrics.Where(m => m.Outcome == "fail")
            .Select(m => new { itemId = "item-3", metric = m.Metric, baseline = 0.9, candidate = 0.2 }).ToArray(),
        verdict,
        reason = "scripted comparison",
    };

    public static object Failed(string error) => new
    {
        id = FakeRegressionApp.RunId,
        status = "failed",
        dataset = "golden",
        twinId = "twin-1",
        progress = new { total = 10, done = 4, failed = 4 },
        metrics = new Dictionary<string, object>(),
        verdict = "inconclusive",
        reason = "the run failed",
        error,
    };
}
