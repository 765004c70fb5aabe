using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.FeatureManagement;
using Twin.Observability.Evaluation;
using Twin.Observability.Features;

namespace Twin.Observability.Datasets;

/// <summary>
/// Turns judged conversations into dataset items: a turn whose scores all pass the configured thresholds becomes an
/// item of its twin's dataset (id = trace id and root observation id, <c>sourceTraceId</c> and
/// <c>sourceObservationId</c> naming the chat), unless its input nearly repeats an
/// item already collected (<see cref="NearDuplicateIndex"/>). Safe to run twice for one trace: the item is upserted by
/// id and the duplicate check ignores the item's own claim.
/// </summary>
public sealed partial class DatasetCollector(
    IDatasetStore store,
    NearDuplicateIndex duplicates,
    IOptions<DatasetOptions> options,
    IFeatureManager features,
    ILogger<DatasetCollector> logger)
{
    public async Task<DatasetDecision> CollectAsync(EvaluationRequest turn, IReadOnlyList<JudgeVerdict> verdicts, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Collect)
        {
            return DatasetDecision.Skipped("collection is off");
        }

        if (!await features.IsEnabledAsync(FeatureFlags.DatasetCollection, cancellationToken).ConfigureAwait(false))
        {
            return DatasetDecision.Skipped($"the feature {FeatureFlags.DatasetCollection} is off");
        }

        if (turn.Shortened)
        {
            return DatasetDecision.Skipped("the turn was shortened to fit a queue message");
        }

        var dataset = settings.DatasetNameFor(turn.TwinId);
        var itemId = ItemIdOf(turn.TraceId, turn.ObservationId);
        if (FailedThreshold(settings, verdicts) is { } failure)
        {
            if (failure.ScoredBelow && settings.KeepRejected)
            {
                var rejected = settings.RejectedNameOf(dataset);
                await store.EnsureDatasetAsync(rejected, $"Conversations of twin '{turn.TwinId}' a judge scored below its threshold: the non-preferred replies of preference exports. Not for supervised training.", cancellationToken).ConfigureAwait(false);
                await store.UpsertItemAsync(ItemOf(rejected, itemId, turn, verdicts), cancellationToken).ConfigureAwait(false);
                return DatasetDecision.Skipped(failure.Reason, rejected);
            }

            return DatasetDecision.Skipped(failure.Reason);
        }

        // The claim comes first so two near-identical turns racing add one item; a claim whose item is never written
        // (the write failed for good) is taken over once it is older than NearDuplicateIndex.ClaimGrace.
        if (await duplicates.ClaimAsync(dataset, itemId, turn.Message, settings.NearDuplicateSimilarity, cancellationToken).ConfigureAwait(false) is { } similar)
        {
            LogNearDuplicate(turn.TraceId, similar, dataset);
            return DatasetDecision.Skipped($"near duplicate of item '{similar}'");
        }

        await store.EnsureDatasetAsync(dataset, $"Conversations of twin '{turn.TwinId}' that passed the judges' thresholds.", cancellationToken).ConfigureAwait(false);
        await store.UpsertItemAsync(ItemOf(dataset, itemId, turn, verdicts), cancellationToken).ConfigureAwait(false);
        return DatasetDecision.Added(dataset, itemId);
    }

    // A missing score (a judge that failed) says nothing about the reply, so only a score below its threshold marks it rejected.
    private static (string Reason, bool ScoredBelow)? FailedThreshold(DatasetOptions settings, IReadOnlyList<JudgeVerdict> verdicts)
    {
        (string, bool)? below = null;
        foreach (var (name, minimum) in settings.Thresholds)
        {
            var verdict = verdicts.FirstOrDefault(v => v.Name == name);
            if (verdict?.Score is not { } score)
            {
                return ($"no {name} score", false);
            }

            if (score < minimum)
            {
                below ??= (string.Create(CultureInfo.InvariantCulture, $"{name} {score:0.###} is below {minimum:0.###}"), true);
            }
        }

        return below;
    }

    private static DatasetItem ItemOf(string dataset, string itemId, EvaluationRequest turn, IReadOnlyList<JudgeVerdict> verdicts)
    {
        var scores = new JsonObject();
        foreach (var verdict in verdicts.Where(v => v.Score is not null))
        {
            scores[verdict.Name] = verdict.Score;
        }

        return new DatasetItem(
            itemId,
            dataset,
            InputOf(turn),
            new JsonObject { ["reply"] = turn.Reply },
            new JsonObject
            {
                ["scores"] = scores,
                ["scoreMethod"] = verdicts.Count > 0 ? verdicts[0].Method : null,
                ["promptName"] = turn.PromptName,
                ["promptVersion"] = turn.PromptVersion,
                ["model"] = turn.Model,
                ["endpoint"] = turn.Endpoint,
                ["environment"] = turn.Environment,
                ["collectedFrom"] = "evaluation",
            },
            turn.TraceId,
            turn.ObservationId);
    }

    // The knowledge the model saw is kept so an export can rebuild the system prompt of the turn.
    private static JsonObject InputOf(EvaluationRequest turn)
    {
        var input = new JsonObject { ["message"] = turn.Message, ["twinId"] = turn.TwinId };
        if (turn.Knowledge.Count > 0)
        {
            input["knowledge"] = new JsonArray([.. turn.Knowledge.Select(k => JsonValue.Create(k))]);
        }

        return input;
    }

    /// <summary>The dataset item id of a chat: several chats may share one caller's trace, so the root observation counts too.</summary>
    public static string ItemIdOf(string traceId, string observationId) => $"{traceId}-{observationId}";

    [LoggerMessage(Level = LogLevel.Information, Message = "Trace {TraceId} not collected: near duplicate of item {ItemId} in dataset {Dataset}")]
    private partial void LogNearDuplicate(string traceId, string itemId, string dataset);
}

/// <summary>Whether a judged turn became a dataset item, and if not, why (and the set of rejected turns that kept it, if any).</summary>
public sealed record DatasetDecision(bool IsAdded, string? Dataset, string? ItemId, string? Reason, string? RejectedInto = null)
{
    public static DatasetDecision Added(string dataset, string itemId) => new(true, dataset, itemId, null);

    public static DatasetDecision Skipped(string reason, string? rejectedInto = null) => new(false, null, null, reason, rejectedInto);
}
