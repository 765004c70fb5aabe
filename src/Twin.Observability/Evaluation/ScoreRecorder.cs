using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twin.Observability.Langfuse;
using Twin.Observability.Ledger;
using Twin.Observability.Metrics;

namespace Twin.Observability.Evaluation;

/// <summary>
/// Records verdicts where they are read: the chat's ledger row always, Langfuse's scores API when Langfuse is
/// configured. Failed judges are recorded as errors on the ledger row and sent nowhere as scores.
/// </summary>
public sealed partial class ScoreRecorder(LedgerStore ledger, DirtyMinuteStore dirtyMinutes, LangfuseScoreClient langfuseScores, IOptions<LangfuseOptions> langfuse, ILogger<ScoreRecorder> logger)
{
    /// <param name="dataset">The dataset the chat joined, or null: kept on the ledger row for the dataset metrics.</param>
    public async Task RecordAsync(EvaluationRequest chat, string evaluationTraceId, IReadOnlyList<JudgeVerdict> verdicts, string? dataset, CancellationToken cancellationToken)
    {
        var scored = verdicts.Where(v => v.Score is not null).ToList();
        var recorded = await ledger.RecordScoresAsync(
            chat.TraceId,
            chat.ObservationId,
            chat.LedgerTimestamp,
            scored.ToDictionary(v => v.Name, v => v.Score!.Value, StringComparer.Ordinal),
            string.Join(',', verdicts.Select(v => v.Method).Distinct(StringComparer.Ordinal)),
            verdicts.Where(v => v.IsError).ToDictionary(v => v.Name, v => v.Error!, StringComparer.Ordinal),
            verdicts.SelectMany(v => v.Violations).Distinct(StringComparer.Ordinal).ToList(),
            dataset,
            cancellationToken).ConfigureAwait(false);
        if (!recorded)
        {
            LogNoLedgerRow(chat.TraceId);
        }
        else
        {
            // After the row changed: a rollup that already read the chat's minute recomputes it.
            await dirtyMinutes.MarkIfRolledUpAsync(chat.LedgerTimestamp, cancellationToken).ConfigureAwait(false);
        }

        if (!langfuse.Value.IsConfigured)
        {
            return;
        }

        foreach (var verdict in scored)
        {
            try
            {
                await PostAsync(chat, evaluationTraceId, verdict, cancellationToken).ConfigureAwait(false);
            }
            catch (LangfuseApiException ex) when (!ex.IsTransient)
            {
                // Retrying cannot change a refusal; the queue would only re-run the judges for nothing.
                LogScoreRefused(ex, verdict.Name, chat.TraceId);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat {TraceId} has no ledger row (its write failed); its scores go to Langfuse only")]
    private partial void LogNoLedgerRow(string traceId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Langfuse refused score {Score} of trace {TraceId}")]
    private partial void LogScoreRefused(Exception exception, string score, string traceId);

    private Task PostAsync(EvaluationRequest chat, string evaluationTraceId, JudgeVerdict verdict, CancellationToken cancellationToken) =>
        langfuseScores.PostAsync(
                new LangfuseScore(
                    ScoreIdOf(chat.TraceId, chat.ObservationId, verdict.Name),
                    chat.TraceId,
                    chat.ObservationId,
                    verdict.Name,
                    verdict.Score!.Value,
                    verdict.Comment,
                    chat.Environment,
                    new Dictionary<string, object?>
                    {
                        ["method"] = verdict.Method,
                        ["heuristic"] = verdict.Method == JudgeMethods.Heuristic,
                        ["model"] = verdict.Model,
                        ["violations"] = verdict.Violations,
                        ["evaluationTraceId"] = evaluationTraceId,
                        ["twinId"] = chat.TwinId,
                    }),
                cancellationToken);

    /// <summary>
    /// The score's id in Langfuse: a UUID-shaped hash of the chat (trace id and root observation id) and the score's
    /// name, so the same score posted again (a redelivered queue message) overwrites itself instead of adding a
    /// duplicate, and two chats in one caller's trace never overwrite each other's scores.
    /// </summary>
    public static string ScoreIdOf(string traceId, string observationId, string scoreName)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{traceId}:{observationId}:{scoreName}"));
        return new Guid(hash.AsSpan(0, 16)).ToString();
    }
}
