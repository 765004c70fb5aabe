using System.Globalization;
using System.Text;
using System.Xml.Linq;

namespace Twin.Regress;

/// <summary>How the gate ended: the verdict, or "error" (run failed, timeout) with a message.</summary>
internal sealed record GateResult(string Verdict, string? Message, RunStatus? Run, CliOptions Options)
{
    public const string Error = "error";

    public int ExitCode => Verdict switch
    {
        Verdicts.Pass => 0,
        Verdicts.Fail => 1,
        _ => 2,
    };
}

internal static class Format
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Num(double? value) => value is { } v ? v.ToString("0.####", Inv) : "-";

    public static string Signed(double? value) => value is { } v ? (v > 0 ? "+" : "") + v.ToString("0.####", Inv) : "-";

    public static string P(double? value) => value switch
    {
        null => "-",
        < 0.0001 => "<0.0001",
        { } v => v.ToString("0.####", Inv),
    };

    public static string Percent(double? value) => value is { } v ? (v * 100).ToString("0.#", Inv) + "%" : "-";

    public static string Ms(double? value) => value is { } v ? v.ToString("0", Inv) + " ms" : "-";

    public static string Usd(double? value) => value is { } v ? "$" + v.ToString("0.####", Inv) : "-";

    public static string Int(int? value) => value is { } v ? v.ToString(Inv) : "-";

    public static string Ci(double? low, double? high) => low is null && high is null ? "-" : $"[{Num(low)}, {Num(high)}]";

    public static string Text(string? value) => string.IsNullOrWhiteSpace(value) ? "-" : value;

    public static string Version(System.Text.Json.JsonElement? value) => value is { } v
        ? v.ValueKind == System.Text.Json.JsonValueKind.String ? v.GetString() ?? "-" : v.GetRawText()
        : "-";

    public static IEnumerable<KeyValuePair<string, MetricStats>> Metrics(RunStatus? run) =>
        (run?.Metrics ?? []).OrderBy(m => m.Key, StringComparer.Ordinal);

    public static IReadOnlyList<MetricComparison> Compared(RunStatus? run) => run?.Comparison?.Metrics ?? [];

    public static IReadOnlyList<Regression> Regressions(RunStatus? run) => run?.Comparison?.Regressions ?? [];

    /// <summary>Plain-text table with left-aligned columns.</summary>
    public static void Table(StringBuilder sb, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = new List<IReadOnlyList<string>> { header };
        all.AddRange(rows);
        var widths = new int[header.Count];
        foreach (var row in all)
        {
            for (var i = 0; i < header.Count; i++)
            {
                widths[i] = Math.Max(widths[i], (i < row.Count ? row[i] : "").Length);
            }
        }
        for (var r = 0; r < all.Count; r++)
        {
            var row = all[r];
            sb.Append("  ");
            for (var i = 0; i < header.Count; i++)
            {
                var cell = i < row.Count ? row[i] : "";
                sb.Append(i == header.Count - 1 ? cell : cell.PadRight(widths[i] + 2));
            }
            sb.AppendLine();
            if (r == 0)
            {
                sb.Append("  ").AppendLine(new string('-', widths.Sum() + (2 * (widths.Length - 1))));
            }
        }
    }
}

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

internal static class JUnitReport
{
    public static XDocument Build(GateResult result, TimeSpan elapsed)
    {
        var run = result.Run;
        var className = "twin-regress." + result.Options.Dataset;
        var cases = new List<XElement>();
        var compared = Format.Compared(run);
        if (compared.Count > 0)
        {
            foreach (var c in compared)
            {
                var summary = $"baseline {Format.Num(c.BaselineMean)}, candidate {Format.Num(c.CandidateMean)}, delta {Format.Signed(c.Delta)}, p {Format.P(c.PValue)}, 95% CI {Format.Ci(c.CiLow, c.CiHigh)}, tolerance {Format.Num(c.Tolerance)}, pairs {Format.Int(c.Pairs)}";
                var testCase = new XElement("testcase", new XAttribute("name", Format.Text(c.Metric)), new XAttribute("classname", className), new XAttribute("time", "0"));
                switch (c.Outcome)
                {
                    case Verdicts.Fail:
                        var itemRegressions = Format.Regressions(run).Where(r => r.Metric == c.Metric)
                            .Select(r => $"{Format.Text(r.ItemId)}: {Format.Num(r.Baseline)} -> {Format.Num(r.Candidate)}");
                        testCase.Add(new XElement("failure", new XAttribute("message", $"{c.Metric} regressed: {summary}"), new XAttribute("type", "regression"),
                            string.Join('\n', itemRegressions.Prepend(summary))));
                        break;
                    case Verdicts.Pass:
                        testCase.Add(new XElement("system-out", summary));
                        break;
                    default:
                        testCase.Add(new XElement("skipped", new XAttribute("message", $"inconclusive: {summary}")));
                        break;
                }
                cases.Add(testCase);
            }
        }
        else
        {
            foreach (var (metric, stats) in Format.Metrics(run))
            {
                cases.Add(new XElement("testcase", new XAttribute("name", metric), new XAttribute("classname", className), new XAttribute("time", "0"),
                    new XElement("system-out", $"mean {Format.Num(stats.Mean)}, p50 {Format.Num(stats.P50)}, min {Format.Num(stats.Min)}, count {Format.Int(stats.Count)}")));
            }
        }

        var verdictMessage = $"{result.Verdict}: {result.Message ?? run?.Reason ?? ""}".TrimEnd(' ', ':');
        var verdictCase = new XElement("testcase", new XAttribute("name", "verdict"), new XAttribute("classname", className),
            new XAttribute("time", elapsed.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)));
        switch (result.Verdict)
        {
            case Verdicts.Pass:
                verdictCase.Add(new XElement("system-out", verdictMessage));
                break;
            case Verdicts.Fail:
                verdictCase.Add(new XElement("failure", new XAttribute("message", verdictMessage), new XAttribute("type", "verdict")));
                break;
            case Verdicts.Inconclusive:
                verdictCase.Add(new XElement("skipped", new XAttribute("message", verdictMessage)));
                break;
            default:
                verdictCase.Add(new XElement("error", new XAttribute("message", verdictMessage), new XAttribute("type", "error")));
                break;
        }
        cases.Add(verdictCase);

        var properties = new XElement("properties",
            Property("url", result.Options.BaseUrl.GetLeftPart(UriPartial.Path)),
            Property("dataset", result.Options.Dataset),
            Property("twinId", result.Options.TwinId),
            Property("runId", run?.Id),
            Property("runName", run?.Name),
            Property("status", run?.Status),
            Property("baseline", run?.Comparison?.Baseline?.Name ?? result.Options.Baseline),
            Property("verdict", result.Verdict));
        properties.Elements().Where(e => string.IsNullOrEmpty((string?)e.Attribute("value"))).Remove();

        var suite = new XElement("testsuite",
            new XAttribute("name", "twin-regress"),
            new XAttribute("tests", cases.Count),
            new XAttribute("failures", cases.Count(c => c.Element("failure") is not null)),
            new XAttribute("errors", cases.Count(c => c.Element("error") is not null)),
            new XAttribute("skipped", cases.Count(c => c.Element("skipped") is not null)),
            new XAttribute("time", elapsed.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)),
            new XAttribute("timestamp", DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture)),
            properties,
            cases);
        return new XDocument(new XDeclaration("1.0", "utf-8", null), suite);
    }

    private static XElement Property(string name, string? value) =>
        new("property", new XAttribute("name", name), new XAttribute("value", value ?? ""));
}

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
