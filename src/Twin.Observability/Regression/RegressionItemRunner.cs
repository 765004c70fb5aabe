using System.Diagnostics;
using Twin.Observability.Chat;
using Twin.Observability.Datasets;
using Twin.Observability.Evaluation;
using Twin.Observability.Ledger;
using Twin.Observability.Metrics;
using Twin.Observability.Tracing;
using Twin.Observability.Twins;

namespace Twin.Observability.Regression;

/// <summary>
/// Runs one dataset item of a run: the real chat pipeline with the run's prompt, model, temperature and few-shot
/// choice, without conversation history (items neither read nor join a conversation), traced as its own trace in
/// environment <c>regression</c> tagged <c>regression</c> and <c>run:{id}</c>, judged at once by the app's judges,
/// and written to the ledger in that environment (so it stays out of users' metrics).
/// </summary>
public sealed class RegressionItemRunner(
    ChatPipeline pipeline,
    JudgePanel judges,
    LangfuseRunLinker linker,
    LedgerStore ledger,
    StandaloneRuns runs,
    TimeProvider time)
{
    public const string TraceName = "regression";

    public async Task<RegressionResult> RunAsync(RegressionRun run, TwinProfile twin, DatasetItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(twin);
        ArgumentNullException.ThrowIfNull(item);
        var message = item.Input["message"]?.GetValue<string>() ?? item.Input.ToJsonString();
        var expected = item.ExpectedOutput["reply"]?.GetValue<string>();
        var started = time.GetTimestamp();
        using var root = Start(run, item);
        var traceId = RootSpans.TraceIdOf(root, null);
        var observationId = RootSpans.ObservationIdOf(root);
        var result = new RegressionResult
        {
            RunId = run.Id,
            ItemId = item.Id,
            Status = "ok",
            Message = message,
            ExpectedReply = expected,
            TraceId = traceId,
            ObservationId = observationId,
            At = time.GetUtcNow(),
        };
        var entry = new LedgerEntry
        {
            TraceId = traceId,
            ObservationId = observationId,
            TwinId = twin.Id,
            Endpoint = TraceName,
            Environment = MetricEnvironments.Regression,
            Timestamp = result.At,
            UserId = "regression:" + run.Id,
            Status = "ok",
            HttpStatus = 200,
        };
        try
        {
            var output = await pipeline.RunAsync(twin, message, "regression-" + run.Id, new ChatCaller(ChatChannel.User, "regression:" + run.Id), traceId, cancellationToken, Overrides(run)).ConfigureAwait(false);
            var verdicts = await judges.JudgeAllAsync(StandaloneRuns.JudgeInputOf(twin, output), cancellationToken).ConfigureAwait(false);
            var scores = StandaloneRuns.ScoresOf(verdicts);
            var latency = (long)time.GetElapsedTime(started).TotalMilliseconds;
            await LinkAsync(root, run, item, traceId, observationId, expected, cancellationToken).ConfigureAwait(false);
            root?.SetTag(LangfuseAttributes.Output, PipelineNode.Payload(new { output.Reply, scores }));
            root?.SetStatus(ActivityStatusCode.Ok);
            result = result with { Reply = output.Reply, Scores = scores, LatencyMs = latency, CostUsd = output.CostUsd };
            entry = StandaloneRuns.Succeeded(entry, output, latency, scores, judges.UsesLlm ? JudgeMethods.Llm : JudgeMethods.Heuristic);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // An item that fails (the model refused, the prompt is missing) is a result of the run, not a crash of it.
            var errorType = ChatErrorTypes.Of(ex);
            PipelineNode.MarkFailed(root, errorType, ex.Message);
            var latency = (long)time.GetElapsedTime(started).TotalMilliseconds;
            result = result with { Status = "error", Error = $"{errorType}: {ex.Message}", LatencyMs = latency };
            entry = StandaloneRuns.Failed(entry, errorType, latency);
        }

        await ledger.WriteAsync(entry, cancellationToken).ConfigureAwait(false);
        return result;
    }

    // Langfuse's experiment attributes on the item's root (langfuse-api.md §5.4), so the trace is read as the run's item.
    private async Task LinkAsync(Activity? root, RegressionRun run, DatasetItem item, string traceId, string observationId, string? expected, CancellationToken cancellationToken)
    {
        if (await linker.LinkAsync(run, item.Id, traceId, observationId, cancellationToken).ConfigureAwait(false) is not { } datasetRunId || root is null)
        {
            return;
        }

        root.SetTag("langfuse.experiment.id", datasetRunId);
        root.SetTag("langfuse.experiment.name", run.Name);
        root.SetTag("langfuse.experiment.item.id", item.Id);
        root.SetTag("langfuse.experiment.item.root_observation_id", observationId);
        if (expected is not null)
        {
            root.SetTag("langfuse.experiment.item.expected_output", PipelineNode.Json(expected));
        }
    }

    private static PipelineOverrides Overrides(RegressionRun run) => new()
    {
        PromptLabel = run.PromptLabel,
        PromptVersion = run.PromptVersion,
        Model = run.Model,
        Temperature = run.Temperature,
        FewShot = run.FewShot,
        UseHistory = false,
    };

    private Activity? Start(RegressionRun run, DatasetItem item) =>
        runs.StartTrace(
            new StandaloneTrace(
                TraceName,
                MetricEnvironments.Regression,
                "regression:" + run.Id,
                new Dictionary<string, string>
                {
                    ["twin_id"] = run.TwinId,
                    ["run_id"] = run.Id,
                    ["dataset"] = run.Dataset,
                    ["dataset_item_id"] = item.Id,
                },
                ["run:" + run.Id, "twin:" + run.TwinId]),
            ActivityKind.Consumer);
}
