using System.Globalization;
using System.Text;

namespace Twin.Regress;

/// <summary>How the reports write numbers, p-values, intervals and tables: invariant culture, "-" for what is missing.</summary>
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
