using System.Globalization;
using System.Xml.Linq;

namespace Twin.Regress;

/// <summary>The JUnit XML a CI system shows as tests: one case per metric compared, failed when it regressed.</summary>
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
