using System.Globalization;
using System.Text.RegularExpressions;
using Twin.Observability.Common;
using Twin.Observability.Ledger;

namespace Twin.Observability.Metrics;

/// <summary>
/// <c>GET /api/metrics/traces/search</c>: a time range and filters on the ledger's columns (twin, user, endpoint,
/// status, error type, model, prompt version, experiment, variant, score ranges as <c>minScore.{name}</c> and
/// <c>maxScore.{name}</c>), text in message or reply, <c>limit</c> and <c>continuationToken</c>.
/// </summary>
public sealed partial record TraceSearchQuery(
    MetricsRange Range,
    IReadOnlyDictionary<string, string> Columns,
    int? PromptVersion,
    IReadOnlyDictionary<string, (double? Min, double? Max)> Scores,
    string? Text,
    PageRequest Page)
{
    public const int MaxTextLength = 200;

    /// <summary>Query parameters that filter a ledger column by equality, with the column's name.</summary>
    public static readonly IReadOnlyDictionary<string, string> EqualityFilters = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["userId"] = "UserId",
        ["endpoint"] = "Endpoint",
        ["status"] = "Status",
        ["errorType"] = "ErrorType",
        ["model"] = "Model",
        ["promptName"] = "PromptName",
        ["experiment"] = "Experiment",
        ["variant"] = "Variant",
        ["environment"] = "Environment",
    };

    public static TraceSearchQuery Parse(IEnumerable<KeyValuePair<string, string?>> query, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(query);
        var values = query.Where(q => q.Value is not null).GroupBy(q => q.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value!, StringComparer.Ordinal);
        var errors = new ValidationErrors();
        MetricsRange? range = null;
        PageRequest? page = null;
        try
        {
            range = MetricsRange.Parse(values.GetValueOrDefault("from"), values.GetValueOrDefault("to"), values.GetValueOrDefault("twinId"), "day", now);
        }
        catch (RequestValidationException ex)
        {
            foreach (var (field, messages) in ex.Errors.Where(e => e.Key != "interval"))
            {
                Array.ForEach(messages, m => errors.Add(field, m));
            }
        }

        try
        {
            page = PageRequest.Parse(values.GetValueOrDefault("limit"), values.GetValueOrDefault("continuationToken"));
        }
        catch (RequestValidationException ex)
        {
            errors.Add("limit", ex.Errors.Values.First()[0]);
        }

        var equals = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (parameter, column) in EqualityFilters)
        {
            if (values.TryGetValue(parameter, out var value) && value.Length > 0)
            {
                if (value.Length > 256 || value.Any(char.IsControl))
                {
                    errors.Add(parameter, "must be at most 256 characters, without control characters.");
                }

                equals[column] = value;
            }
        }

        if (equals.TryGetValue("Status", out var status) && status is not (LedgerStatuses.Ok or LedgerStatuses.Error or LedgerStatuses.Cancelled))
        {
            errors.Add("status", "must be ok, error or cancelled.");
        }

        int? promptVersion = null;
        if (values.TryGetValue("promptVersion", out var version) && version.Length > 0)
        {
            promptVersion = int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : Invalid<int?>(errors, "promptVersion", "must be a positive whole number.");
        }

        var scores = new Dictionary<string, (double? Min, double? Max)>(StringComparer.Ordinal);
        foreach (var (key, value) in values)
        {
            var bound = key.StartsWith("minScore.", StringComparison.Ordinal) ? "min" : key.StartsWith("maxScore.", StringComparison.Ordinal) ? "max" : null;
            if (bound is null)
            {
                continue;
            }

            var name = key[9..];
            if (!ScoreName().IsMatch(name))
            {
                errors.Add(key, "names a score: lowercase letters, digits and underscores, at most 64.");
                continue;
            }

            if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number))
            {
                errors.Add(key, "must be a number.");
                continue;
            }

            var (min, max) = scores.GetValueOrDefault(name);
            scores[name] = bound == "min" ? (number, max) : (min, number);
        }

        var text = values.GetValueOrDefault("text") is { Length: > 0 } t ? t : null;
        if (text is { Length: > MaxTextLength })
        {
            errors.Add("text", $"must be at most {MaxTextLength} characters.");
        }

        errors.ThrowIfAny();
        return new TraceSearchQuery(range!, equals, promptVersion, scores, text, page!);
    }

    /// <summary>The server-side filter clauses: every equality, the prompt version and the score ranges.</summary>
    public IReadOnlyList<FormattableString> Clauses()
    {
        var clauses = new List<FormattableString>();
        if (Range.TwinId is { } twin)
        {
            clauses.Add($"TwinId eq {twin}");
        }

        foreach (var (column, value) in Columns)
        {
            // The column name comes from the fixed table above, never from the caller.
            clauses.Add(column switch
            {
                "UserId" => $"UserId eq {value}",
                "Endpoint" => $"Endpoint eq {value}",
                "Status" => $"Status eq {value}",
                "ErrorType" => $"ErrorType eq {value}",
                "Model" => $"Model eq {value}",
                "PromptName" => $"PromptName eq {value}",
                "Experiment" => $"Experiment eq {value}",
                "Variant" => $"Variant eq {value}",
                _ => $"Environment eq {value}",
            });
        }

        if (PromptVersion is { } version)
        {
            clauses.Add($"PromptVersion eq {version}");
        }

        foreach (var (name, (min, max)) in Scores)
        {
            // A score's column name is checked against ScoreName(): letters, digits, underscores only.
            var column = "Score_" + name;
            if (min is { } low)
            {
                clauses.Add(FormattableStringFactoryFor(column, "ge", low));
            }

            if (max is { } high)
            {
                clauses.Add(FormattableStringFactoryFor(column, "le", high));
            }
        }

        return clauses;
    }

    private static FormattableString FormattableStringFactoryFor(string column, string comparison, double value) =>
        System.Runtime.CompilerServices.FormattableStringFactory.Create(column + " " + comparison + " {0}", value);

    private static T Invalid<T>(ValidationErrors errors, string field, string message)
    {
        errors.Add(field, message);
        return default!;
    }

    [GeneratedRegex("^[a-z0-9_]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex ScoreName();
}
