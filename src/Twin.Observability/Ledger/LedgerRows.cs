using Azure.Data.Tables;

namespace Twin.Observability.Ledger;

/// <summary>
/// The ledger's row format: one <see cref="LedgerEntry"/> as a Table entity and back. Columns are the entry's
/// property names, plus <c>Score_{name}</c> per judge, <c>PersonaViolations</c> (JSON) and <c>Dataset</c>.
/// </summary>
public static class LedgerRows
{
    internal const string ScorePrefix = "Score_";
    internal const string ViolationsColumn = "PersonaViolations";
    internal const string DatasetColumn = "Dataset";

    public static string ScoreColumn(string name) => ScorePrefix + name;

    /// <summary>The row of <paramref name="entry"/> in <paramref name="partition"/>, its text cut to <paramref name="textChars"/> (0: none kept).</summary>
    public static TableEntity EntityOf(LedgerEntry entry, string partition, int textChars)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var entity = new TableEntity(partition, LedgerKeys.RowKeyOf(entry.Timestamp, entry.TraceId, entry.ObservationId))
        {
            [nameof(entry.TraceId)] = entry.TraceId,
            [nameof(entry.ObservationId)] = entry.ObservationId,
            [nameof(entry.TwinId)] = entry.TwinId,
            [nameof(entry.Endpoint)] = entry.Endpoint,
            [nameof(entry.Environment)] = entry.Environment,
            [nameof(entry.LatencyMs)] = entry.LatencyMs,
            [nameof(entry.UserId)] = entry.UserId,
            [nameof(entry.ConversationId)] = entry.ConversationId,
            [nameof(entry.Model)] = entry.Model,
            [nameof(entry.InputTokens)] = entry.InputTokens,
            [nameof(entry.OutputTokens)] = entry.OutputTokens,
            // Table storage has no decimal; a double holds a cost in dollars to far below a cent.
            [nameof(entry.CostUsd)] = entry.CostUsd is { } cost ? (double)cost : null,
            [nameof(entry.Status)] = entry.Status,
            [nameof(entry.HttpStatus)] = entry.HttpStatus,
            [nameof(entry.ErrorType)] = entry.ErrorType,
            [nameof(entry.PromptName)] = entry.PromptName,
            [nameof(entry.PromptVersion)] = entry.PromptVersion,
            [nameof(entry.Experiment)] = entry.Experiment,
            [nameof(entry.Variant)] = entry.Variant,
            [nameof(entry.NodeTimings)] = entry.NodeTimings,
            [nameof(entry.Message)] = Truncate(entry.Message, textChars),
            [nameof(entry.Reply)] = Truncate(entry.Reply, textChars),
            [ViolationsColumn] = entry.Violations.Count > 0 ? System.Text.Json.JsonSerializer.Serialize(entry.Violations) : null,
            [DatasetColumn] = entry.Dataset,
            ["ScoreMethod"] = entry.ScoreMethod,
            ["JudgeErrors"] = entry.JudgeErrors,
        };

        // Only where they say something: a plain row stands for one request and names its twin.
        if (entry.Count != 1)
        {
            entity[nameof(entry.Count)] = entry.Count;
        }

        if (entry.TwinIdHash is not null)
        {
            entity[nameof(entry.TwinIdHash)] = entry.TwinIdHash;
        }

        // Chats are written before they are judged, so this is for rows that arrive whole (imports, tests).
        foreach (var (name, value) in entry.Scores)
        {
            entity[ScorePrefix + name] = value;
        }

        return entity;
    }

    private static string? Truncate(string? text, int chars) =>
        chars == 0 || text is null ? null : text.Length <= chars ? text : text[..chars];

    public static LedgerEntry ToEntry(TableEntity e) => new()
    {
        TraceId = e.GetString(nameof(LedgerEntry.TraceId)) ?? "",
        ObservationId = e.GetString(nameof(LedgerEntry.ObservationId)) ?? "",
        TwinId = e.GetString(nameof(LedgerEntry.TwinId)) ?? "",
        TwinIdHash = e.GetString(nameof(LedgerEntry.TwinIdHash)),
        Count = e.GetInt64(nameof(LedgerEntry.Count)) ?? 1,
        Endpoint = e.GetString(nameof(LedgerEntry.Endpoint)) ?? "",
        Environment = e.GetString(nameof(LedgerEntry.Environment)) ?? "",
        Timestamp = LedgerKeys.TimestampOf(e.RowKey),
        LatencyMs = e.GetInt64(nameof(LedgerEntry.LatencyMs)) ?? 0,
        UserId = e.GetString(nameof(LedgerEntry.UserId)),
        ConversationId = e.GetString(nameof(LedgerEntry.ConversationId)),
        Model = e.GetString(nameof(LedgerEntry.Model)),
        InputTokens = e.GetInt64(nameof(LedgerEntry.InputTokens)) ?? 0,
        OutputTokens = e.GetInt64(nameof(LedgerEntry.OutputTokens)) ?? 0,
        CostUsd = e.GetDouble(nameof(LedgerEntry.CostUsd)) is { } cost ? (decimal)cost : null,
        Status = e.GetString(nameof(LedgerEntry.Status)) ?? "",
        HttpStatus = e.GetInt32(nameof(LedgerEntry.HttpStatus)) ?? 0,
        ErrorType = e.GetString(nameof(LedgerEntry.ErrorType)),
        PromptName = e.GetString(nameof(LedgerEntry.PromptName)),
        PromptVersion = e.GetInt32(nameof(LedgerEntry.PromptVersion)),
        Scores = e.Keys.Where(k => k.StartsWith(ScorePrefix, StringComparison.Ordinal) && e.GetDouble(k) is not null)
            .ToDictionary(k => k[ScorePrefix.Length..], k => e.GetDouble(k)!.Value, StringComparer.Ordinal),
        ScoreMethod = e.GetString("ScoreMethod"),
        JudgeErrors = e.GetString("JudgeErrors"),
        Violations = e.GetString(ViolationsColumn) is { } violations ? System.Text.Json.JsonSerializer.Deserialize<string[]>(violations) ?? [] : [],
        Dataset = e.GetString(DatasetColumn),
        Experiment = e.GetString(nameof(LedgerEntry.Experiment)),
        Variant = e.GetString(nameof(LedgerEntry.Variant)),
        NodeTimings = e.GetString(nameof(LedgerEntry.NodeTimings)),
        Message = e.GetString(nameof(LedgerEntry.Message)),
        Reply = e.GetString(nameof(LedgerEntry.Reply)),
    };
}
