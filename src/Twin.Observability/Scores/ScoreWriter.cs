using Microsoft.Extensions.Options;
using Twin.Observability.Langfuse;
using Twin.Observability.Ledger;
using Twin.Observability.Metrics;

namespace Twin.Observability.Scores;

/// <summary>
/// Records one score of a chat where it is read: the chat's ledger row (so metrics, A/B results and regression
/// comparisons count it; the row's minute is marked for the rollup to recompute) and, when Langfuse is configured, a
/// score on the chat's root observation. The Langfuse id makes it idempotent: the same id posted again replaces it.
/// </summary>
public sealed class ScoreWriter(LedgerStore ledger, DirtyMinuteStore dirtyMinutes, LangfuseScoreClient langfuseScores, IOptions<LangfuseOptions> langfuse)
{
    public async Task<RecordedScore> WriteAsync(LedgerEntry chat, ScoreConfig config, ScoreValue value, string id, string? comment, IReadOnlyDictionary<string, object?> metadata, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chat);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(value);
        if (!await ledger.RecordScoreAsync(chat.TraceId, chat.ObservationId, chat.Timestamp, config.Name, value.Number, cancellationToken).ConfigureAwait(false))
        {
            throw new Common.ResourceNotFoundException("Trace", chat.TraceId);
        }

        await dirtyMinutes.MarkIfRolledUpAsync(chat.Timestamp, cancellationToken).ConfigureAwait(false);
        if (langfuse.Value.IsConfigured)
        {
            await langfuseScores.PostAsync(
                new LangfuseScore(id, chat.TraceId, chat.ObservationId, config.Name, value.Number, comment, chat.Environment, metadata)
                {
                    DataType = config.DataType,
                    Label = config.DataType == ScoreDataTypes.Categorical ? value.Label : null,
                    ConfigId = config.LangfuseId,
                },
                cancellationToken).ConfigureAwait(false);
        }

        return new RecordedScore(id, config.Name, value.Label is { } label ? label : value.Number, chat.TraceId, chat.ObservationId, comment);
    }
}

/// <summary>A recorded score as the scores and feedback routes answer it.</summary>
public sealed record RecordedScore(string Id, string Name, object Value, string TraceId, string ObservationId, string? Comment);
