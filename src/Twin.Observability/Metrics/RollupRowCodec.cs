using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Data.Tables;

namespace Twin.Observability.Metrics;

/// <summary>
/// A rollup row as a Table entity: the dimension values and counters as columns, the latency sketch as binary, error
/// types and score summaries as small JSON objects. Sorted maps make the same aggregate the same bytes, so a unit
/// rolled up twice gives identical rows.
/// </summary>
public static class RollupRowCodec
{
    public static TableEntity ToEntity(string partitionKey, string rowKey, DateTimeOffset start, MetricDimensions? dimensions, MetricAggregate aggregate)
    {
        ArgumentNullException.ThrowIfNull(aggregate);
        var entity = new TableEntity(partitionKey, rowKey)
        {
            ["Start"] = start,
            ["Count"] = aggregate.Count,
            ["ErrorCount"] = aggregate.ErrorCount,
            ["ErrorTypes"] = JsonSerializer.Serialize(aggregate.ErrorTypes, RollupJsonContext.Default.SortedDictionaryStringInt64),
            ["InputTokens"] = aggregate.InputTokens,
            ["OutputTokens"] = aggregate.OutputTokens,
            ["CostUsd"] = aggregate.CostUsd,
            ["Latency"] = aggregate.Latency.ToBytes(),
            ["Scores"] = Scores(aggregate.Scores),
            ["Violations"] = JsonSerializer.Serialize(aggregate.Violations, RollupJsonContext.Default.SortedDictionaryStringInt64),
            ["Datasets"] = JsonSerializer.Serialize(aggregate.DatasetAdds, RollupJsonContext.Default.SortedDictionaryStringInt64),
            ["DatasetScores"] = Scores(aggregate.DatasetScores),
        };
        if (dimensions is not null)
        {
            entity["Twin"] = dimensions.Twin;
            entity["Endpoint"] = dimensions.Endpoint;
            entity["Model"] = dimensions.Model;
            entity["Environment"] = dimensions.Environment;
            entity["Prompt"] = dimensions.Prompt;
            entity["Experiment"] = dimensions.Experiment;
            entity["Variant"] = dimensions.Variant;
        }

        return entity;
    }

    public static MetricDimensions DimensionsOf(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return new MetricDimensions(
            entity.GetString("Twin") ?? "",
            entity.GetString("Endpoint") ?? "",
            entity.GetString("Model") ?? "",
            entity.GetString("Environment") ?? "",
            entity.GetString("Prompt") ?? "",
            entity.GetString("Experiment") ?? "",
            entity.GetString("Variant") ?? "");
    }

    public static MetricAggregate AggregateOf(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return MetricAggregate.Restore(
            entity.GetInt64("Count") ?? 0,
            entity.GetInt64("ErrorCount") ?? 0,
            Counts(entity, "ErrorTypes"),
            entity.GetInt64("InputTokens") ?? 0,
            entity.GetInt64("OutputTokens") ?? 0,
            entity.GetDouble("CostUsd") ?? 0,
            entity.GetBinary("Latency") is { } latency ? LatencySketch.FromBytes(latency) : new LatencySketch(),
            ScoresOf(entity, "Scores"),
            Counts(entity, "Violations"),
            Counts(entity, "Datasets"),
            ScoresOf(entity, "DatasetScores"));
    }

    private static string Scores(SortedDictionary<string, ScoreSummary> scores) => JsonSerializer.Serialize(
        new SortedDictionary<string, StoredScore>(scores.ToDictionary(s => s.Key, s => new StoredScore(s.Value.Count, s.Value.Sum, s.Value.Bins)), StringComparer.Ordinal),
        RollupJsonContext.Default.SortedDictionaryStringStoredScore);

    private static SortedDictionary<string, long> Counts(TableEntity entity, string column) =>
        JsonSerializer.Deserialize(entity.GetString(column) ?? "{}", RollupJsonContext.Default.SortedDictionaryStringInt64) ?? [];

    private static IEnumerable<KeyValuePair<string, ScoreSummary>> ScoresOf(TableEntity entity, string column) =>
        (JsonSerializer.Deserialize(entity.GetString(column) ?? "{}", RollupJsonContext.Default.SortedDictionaryStringStoredScore) ?? [])
            .Select(s => KeyValuePair.Create(s.Key, ScoreSummary.From(s.Value.N, s.Value.S, s.Value.B)));

    /// <summary>A score summary as stored: short names, since every rollup row carries one per score.</summary>
    public sealed record StoredScore(
        [property: JsonPropertyName("n")] long N,
        [property: JsonPropertyName("s")] double S,
        [property: JsonPropertyName("b")] long[] B);
}

[JsonSerializable(typeof(SortedDictionary<string, long>))]
[JsonSerializable(typeof(SortedDictionary<string, RollupRowCodec.StoredScore>))]
internal sealed partial class RollupJsonContext : JsonSerializerContext;
