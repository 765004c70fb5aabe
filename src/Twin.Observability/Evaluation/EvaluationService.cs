using System.Globalization;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twin.Observability.Chat;
using Twin.Observability.Datasets;
using Twin.Observability.Langfuse;
using Twin.Observability.Tracing;
using Twin.Observability.Twins;

namespace Twin.Observability.Evaluation;

/// <summary>
/// Judges one chat from the <c>evaluations</c> queue: runs the three judges as evaluator spans of an evaluation
/// trace of its own (named <c>evaluation</c>, tagged <c>evaluation</c>, so it never counts as user traffic), records
/// the scores in the ledger and Langfuse, and collects the turn into the twin's dataset when it passes the
/// thresholds. Every step is idempotent, so a redelivered message changes nothing; a judge that cannot run (LLM down)
/// throws and the queue retries the message.
/// </summary>
public sealed partial class EvaluationService(
    JudgePanel judges,
    ITwinLookup twins,
    ScoreRecorder scores,
    DatasetCollector datasets,
    IOptions<LangfuseOptions> langfuse,
    TraceOwner owner,
    ILogger<EvaluationService> logger)
{
    public const string TraceName = "evaluation";

    public async Task<EvaluationOutcome> EvaluateAsync(EvaluationRequest chat, CancellationToken cancellationToken)
    {
        var twin = await twins.FindAsync(chat.TwinId, cancellationToken).ConfigureAwait(false);
        if (twin is null)
        {
            LogTwinGone(chat.TwinId, chat.TraceId);
        }

        var input = new JudgeInput(chat.TwinId, twin?.Name ?? chat.TwinId, twin?.Persona ?? "", twin?.PersonaRules ?? PersonaRules.Default, chat.Message, chat.Reply, chat.Knowledge);
        using var root = StartTrace(chat);
        var evaluationTraceId = root?.TraceId.ToHexString() ?? "";
        try
        {
            var verdicts = await Task.WhenAll(judges.Judges.Select(judge => PipelineNode.RunAsync(
                "judge:" + judge.Name,
                ObservationTypes.Evaluator,
                new { score = judge.Name, chat.TraceId },
                async span =>
                {
                    var verdict = await judge.JudgeAsync(input, cancellationToken).ConfigureAwait(false);
                    if (verdict.IsError)
                    {
                        PipelineNode.MarkFailed(span, "judge_error", verdict.Error!);
                    }

                    return verdict;
                },
                v => new { v.Score, v.Comment, v.Method, v.Model, v.Violations, v.Error }))).ConfigureAwait(false);

            // Collected first, so the ledger row learns its dataset in the same write as its scores.
            var collection = await CollectAsync(chat, verdicts, cancellationToken).ConfigureAwait(false);
            await scores.RecordAsync(chat, evaluationTraceId, verdicts, collection.IsAdded ? collection.Dataset : null, cancellationToken).ConfigureAwait(false);
            root?.SetTag(LangfuseAttributes.Output, PipelineNode.Json(new
            {
                scores = verdicts.ToDictionary(v => v.Name, v => v.Score),
                dataset = collection,
            }));
            if (logger.IsEnabled(LogLevel.Information))
            {
                var summary = string.Join(", ", verdicts.Select(v => v.Score is { } score ? string.Create(CultureInfo.InvariantCulture, $"{v.Name}={score:0.##}") : $"{v.Name}=error"));
                var method = verdicts.Length > 0 ? verdicts[0].Method : "none";
                var decision = collection.IsAdded ? $"added to {collection.Dataset}" : $"not collected ({collection.Reason})";
                LogEvaluated(chat.TraceId, summary, method, decision);
            }

            return new EvaluationOutcome(chat.TraceId, evaluationTraceId, verdicts, collection);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            PipelineNode.MarkFailed(root, "evaluation_failed", ex.GetType().Name + ": " + ex.Message);
            throw;
        }
    }

    private async Task<DatasetDecision> CollectAsync(EvaluationRequest chat, IReadOnlyList<JudgeVerdict> verdicts, CancellationToken cancellationToken)
    {
        try
        {
            return await datasets.CollectAsync(chat, verdicts, cancellationToken).ConfigureAwait(false);
        }
        catch (LangfuseApiException ex) when (!ex.IsTransient)
        {
            // A refused item will be refused again; retrying the message would only re-run the judges.
            LogDatasetRefused(ex, chat.TraceId);
            return DatasetDecision.Skipped($"Langfuse refused the item ({ex.Status})");
        }
    }

    private Activity? StartTrace(EvaluationRequest chat)
    {
        // A queue message has no caller to continue: the evaluation is a trace of its own, linked to the chat by metadata.
        var root = RootSpans.Start(TraceName, ActivityKind.Consumer, incoming: null);
        if (root is null)
        {
            return null;
        }

        var scope = new TraceScope
        {
            Name = TraceName,
            Owner = owner,
            Environment = chat.Environment,
            Release = langfuse.Value.Release,
            Metadata = new Dictionary<string, string>
            {
                ["twin_id"] = chat.TwinId,
                ["source_trace_id"] = chat.TraceId,
                ["source_endpoint"] = chat.Endpoint,
            },
        };
        scope.AddTag("evaluation");
        scope.AddTag("twin:" + chat.TwinId);
        scope.AttachTo(root);
        root.SetTag(LangfuseAttributes.ObservationType, ObservationTypes.Chain);
        root.SetTag(LangfuseAttributes.Input, PipelineNode.Json(new { chat.TraceId, chat.Message, chat.Reply }));
        return root;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Evaluated chat {TraceId}: {Scores} ({Method}); dataset: {Dataset}")]
    private partial void LogEvaluated(string traceId, string scores, string method, string dataset);

    [LoggerMessage(Level = LogLevel.Error, Message = "Langfuse refused the dataset item of chat {TraceId}")]
    private partial void LogDatasetRefused(Exception exception, string traceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Twin {TwinId} of chat {TraceId} no longer exists; judging it against the default persona rules")]
    private partial void LogTwinGone(string twinId, string traceId);
}
