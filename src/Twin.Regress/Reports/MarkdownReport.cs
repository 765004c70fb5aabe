using System.Globalization;
using System.Text;

namespace Twin.Regress;

/// <summary>The Markdown report (<c>--markdown</c>): a verdict heading and the tables, ready for a pull-request comment.</summary>
internal static class MarkdownReport
{
    public static string Build(GateResult result)
    {
        var run = result.Run;
        var sb = new StringBuilder();
        var (icon, word) = result.Verdict switch
        {
            Verdicts.Pass => ("✅", "PASS"),
            Verdicts.Fail => ("❌", "FAIL"),
            Verdicts.Inconclusive => ("⚠️", "INCONCLUSIVE"),
            _ => ("💥", "ERROR"),
        };
        sb.Append("## ").Append(icon).Append(" Regression gate: ").AppendLine(word);
        sb.AppendLine();
        var reason = result.Message ?? run?.Reason;
        if (!string.IsNullOrWhiteSpace(reason))
        {
            sb.Append("> ").AppendLine(Cell(reason));
            sb.AppendLine();
        }
        sb.Append("Dataset **").Append(Cell(result.Options.Dataset)).Append("**, twin **").Append(Cell(result.Options.TwinId))
          .Append("**, run `").Append(Cell(Format.Text(run?.Id))).Append('`');
        if (!string.IsNullOrWhiteSpace(run?.Name))
        {
            sb.Append(" (").Append(Cell(run.Name)).Append(')');
        }
        sb.Append(", status ").Append(Cell(Format.Text(run?.Status)));
        if (run?.Progress is { } p)
        {
            sb.Append(", ").Append(Format.Int(p.Done)).Append('/').Append(Format.Int(p.Total)).Append(" items (")
              .Append(Format.Int(p.Failed)).Append(" failed)");
        }
        sb.AppendLine(".");
        sb.AppendLine();
        sb.Append("Pass rate **").Append(Format.Percent(run?.PassRate)).Append("** · latency mean ").Append(Format.Ms(run?.LatencyMs?.Mean))
          .Append(" / p50 ").Append(Format.Ms(run?.LatencyMs?.P50)).Append(" · cost ").AppendLine(Format.Usd(run?.CostUsd));

        var compared = Format.Compared(run);
        if (run?.Comparison is { } comparison)
        {
            sb.AppendLine();
            sb.Append("### Against baseline ").Append(Cell(Format.Text(comparison.Baseline?.Name)))
              .Append(" v").AppendLine(Cell(Format.Version(comparison.Baseline?.Version)));
            sb.AppendLine();
            sb.AppendLine("| metric | pairs | baseline | candidate | delta | p | 95% CI | tolerance | outcome |");
            sb.AppendLine("|---|---:|---:|---:|---:|---:|---|---:|---|");
            foreach (var c in compared)
            {
                var outcome = c.Outcome switch { Verdicts.Pass => "✅ pass", Verdicts.Fail => "❌ fail", _ => "⚠️ " + Format.Text(c.Outcome) };
                sb.Append("| ").Append(Cell(Format.Text(c.Metric))).Append(" | ").Append(Format.Int(c.Pairs)).Append(" | ")
                  .Append(Format.Num(c.BaselineMean)).Append(" | ").Append(Format.Num(c.CandidateMean)).Append(" | ")
                  .Append(Format.Signed(c.Delta)).Append(" | ").Append(Format.P(c.PValue)).Append(" | ")
                  .Append(Format.Ci(c.CiLow, c.CiHigh)).Append(" | ").Append(Format.Num(c.Tolerance)).Append(" | ")
                  .Append(Cell(outcome)).AppendLine(" |");
            }
        }

        var metrics = Format.Metrics(run).ToList();
        if (metrics.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("### Metrics");
            sb.AppendLine();
            sb.AppendLine("| metric | mean | p50 | min | count |");
            sb.AppendLine("|---|---:|---:|---:|---:|");
            foreach (var (metric, stats) in metrics)
            {
                sb.Append("| ").Append(Cell(metric)).Append(" | ").Append(Format.Num(stats.Mean)).Append(" | ").Append(Format.Num(stats.P50))
                  .Append(" | ").Append(Format.Num(stats.Min)).Append(" | ").Append(Format.Int(stats.Count)).AppendLine(" |");
            }
        }

        var regressions = Format.Regressions(run);
        if (regressions.Count > 0)
        {
            sb.AppendLine();
            sb.Append("<details><summary>Regressions (").Append(regressions.Count.ToString(CultureInfo.InvariantCulture)).AppendLine(")</summary>");
            sb.AppendLine();
            sb.AppendLine("| item | metric | baseline | candidate |");
            sb.AppendLine("|---|---|---:|---:|");
            foreach (var r in regressions.Take(SummaryReport.MaxRegressionRows))
            {
                sb.Append("| ").Append(Cell(Format.Text(r.ItemId))).Append(" | ").Append(Cell(Format.Text(r.Metric))).Append(" | ")
                  .Append(Format.Num(r.Baseline)).Append(" | ").Append(Format.Num(r.Candidate)).AppendLine(" |");
            }
            if (regressions.Count > SummaryReport.MaxRegressionRows)
            {
                sb.AppendLine();
                sb.Append("… and ").Append((regressions.Count - SummaryReport.MaxRegressionRows).ToString(CultureInfo.InvariantCulture)).AppendLine(" more.");
            }
            sb.AppendLine();
            sb.AppendLine("</details>");
        }
        return sb.ToString();
    }

    /// <summary>Keeps a value on one table row: no pipes, no newlines, no HTML.</summary>
    private static string Cell(string value) => value
        .Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal)
        .Replace("|", "\\|", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
