using System.Globalization;
using System.Text;

namespace Twin.Regress;

/// <summary>The plain-text summary the gate prints: verdict, metrics against the baseline, regressed items.</summary>
internal static class SummaryReport
{
    public const int MaxRegressionRows = 50;

    public static string Build(GateResult result)
    {
        var run = result.Run;
        var sb = new StringBuilder();
        sb.AppendLine();
        sb.Append("Regression run ").Append(Format.Text(run?.Id));
        if (!string.IsNullOrWhiteSpace(run?.Name))
        {
            sb.Append(" (").Append(run.Name).Append(')');
        }
        sb.Append(": dataset ").Append(result.Options.Dataset).Append(", twin ").Append(result.Options.TwinId);
        sb.Append(", status ").AppendLine(Format.Text(run?.Status));
        if (run?.Progress is { } p)
        {
            sb.Append("Items: ").Append(Format.Int(p.Done)).Append('/').Append(Format.Int(p.Total))
              .Append(" done, ").Append(Format.Int(p.Failed)).AppendLine(" failed");
        }

        var metrics = Format.Metrics(run).ToList();
        if (metrics.Count > 0)
        {
            sb.AppendLine();
            Format.Table(sb, ["metric", "mean", "p50", "min", "count"],
                metrics.Select(m => (IReadOnlyList<string>)[m.Key, Format.Num(m.Value.Mean), Format.Num(m.Value.P50), Format.Num(m.Value.Min), Format.Int(m.Value.Count)]));
        }
        sb.AppendLine();
        sb.Append("Pass rate ").Append(Format.Percent(run?.PassRate))
          .Append(", latency mean ").Append(Format.Ms(run?.LatencyMs?.Mean)).Append(" / p50 ").Append(Format.Ms(run?.LatencyMs?.P50))
          .Append(", cost ").AppendLine(Format.Usd(run?.CostUsd));

        if (run?.Comparison is { } comparison)
        {
            sb.AppendLine();
            sb.Append("Against baseline ").Append(Format.Text(comparison.Baseline?.Name))
              .Append(" v").Append(Format.Version(comparison.Baseline?.Version))
              .Append(" (run ").Append(Format.Text(comparison.Baseline?.TestId)).AppendLine("):");
            Format.Table(sb, ["metric", "pairs", "baseline", "candidate", "delta", "p", "95% CI", "tolerance", "outcome"],
                Format.Compared(run).Select(c => (IReadOnlyList<string>)[
                    Format.Text(c.Metric), Format.Int(c.Pairs), Format.Num(c.BaselineMean), Format.Num(c.CandidateMean),
                    Format.Signed(c.Delta), Format.P(c.PValue), Format.Ci(c.CiLow, c.CiHigh), Format.Num(c.Tolerance), Format.Text(c.Outcome).ToUpperInvariant()]));
            var regressions = Format.Regressions(run);
            if (regressions.Count > 0)
            {
                sb.AppendLine();
                sb.Append("Regressions (").Append(regressions.Count.ToString(CultureInfo.InvariantCulture)).AppendLine("):");
                Format.Table(sb, ["item", "metric", "baseline", "candidate"],
                    regressions.Take(MaxRegressionRows).Select(r => (IReadOnlyList<string>)[Format.Text(r.ItemId), Format.Text(r.Metric), Format.Num(r.Baseline), Format.Num(r.Candidate)]));
                if (regressions.Count > MaxRegressionRows)
                {
                    sb.Append("  … and ").Append((regressions.Count - MaxRegressionRows).ToString(CultureInfo.InvariantCulture)).AppendLine(" more");
                }
            }
        }

        sb.AppendLine();
        sb.Append("Verdict: ").Append(result.Verdict.ToUpperInvariant());
        var reason = result.Message ?? run?.Reason;
        if (!string.IsNullOrWhiteSpace(reason))
        {
            sb.Append(" (").Append(reason).Append(')');
        }
        sb.AppendLine();
        return sb.ToString();
    }
}
