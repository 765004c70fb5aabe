using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twin.Observability.Chat;
using Twin.Observability.Evaluation;
using Twin.Observability.Ledger;
using Twin.Observability.Metrics;
using Twin.Observability.Tracing;
using Twin.Observability.Twins;

namespace Twin.Observability.Playground;

/// <summary>
/// Runs one playground cell: the real chat pipeline with the cell's prompt (resolved whole beforehand, so what was
/// validated is what runs), model, temperature and variables, without conversation history, as its own trace named
/// and tagged <c>playground</c> in environment <c>playground</c> (a comparison's cells share its session), judged at
/// once within <c>Playground:JudgeTimeoutSeconds</c>, and written to the ledger in that environment.
/// </summary>
public sealed partial class PlaygroundRunner(
    ChatPipeline pipeline,
    JudgePanel judges,
    LedgerStore ledger,
    StandaloneRuns runs,
    IOptions<PlaygroundOptions> options,
    TimeProvider time,
    ILogger<PlaygroundRunner> logger)
{
    public const string TraceName = "playground";
    private const string UserId = "playground";

    public async Task<PlaygroundRun> RunAsync(PlaygroundCell cell, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cell);
        var variables = PlaygroundValidator.Merge(cell.Variant.Variant.Variables, cell.Input.Variables);
        var started = time.GetTimestamp();
        using var root = Start(cell);
        var traceId = RootSpans.TraceIdOf(root, null);
        var observationId = RootSpans.ObservationIdOf(root);
        root?.SetTag(LangfuseAttributes.Input, PipelineNode.Payload(new { cell.Input.Message, variables }));
        var result = new PlaygroundRun
        {
            Variant = cell.InComparison ? cell.Variant.Variant.Index : null,
            Input = cell.InComparison ? cell.Input.Index : null,
            TraceId = traceId,
            ObservationId = observationId,
            SessionId = cell.SessionId,
            TwinId = cell.Twin.Id,
            Prompt = cell.Variant.PromptUsed,
        };
        var entry = new LedgerEntry
        {
            TraceId = traceId,
            ObservationId = observationId,
            TwinId = cell.Twin.Id,
            Endpoint = TraceName,
            Environment = MetricEnvironments.Playground,
            Timestamp = time.GetUtcNow(),
            UserId = UserId,
            ConversationId = cell.SessionId,
            Status = "ok",
        };
        try
        {
            var output = await pipeline.RunAsync(
                cell.Twin, cell.Input.Message, "playground-" + (cell.SessionId ?? traceId), new ChatCaller(ChatChannel.User, UserId), traceId, cancellationToken, Overrides(cell, variables)).ConfigureAwait(false);
            var judged = cell.Judge ? await JudgeAsync(cell.Twin, output, cancellationToken).ConfigureAwait(false) : Judged.Skipped;
            var latency = (long)time.GetElapsedTime(started).TotalMilliseconds;
            root?.SetTag(LangfuseAttributes.Output, PipelineNode.Payload(new { output.Reply, judged.Scores }));
            root?.SetStatus(ActivityStatusCode.Ok);
            result = result with
            {
                Output = output.Reply,
                LatencyMs = latency,
                Tokens = new PlaygroundTokens(output.Usage.InputTokens, output.Usage.OutputTokens, output.Usage.TotalTokens),
                CostUsd = output.CostUsd,
                Model = output.Model,
                Prompt = result.Prompt with { Version = output.PromptVersion },
                Scores = judged.Scores,
                ScoreMethod = judged.Method,
                JudgeErrors = judged.Errors,
            };
            entry = StandaloneRuns.Succeeded(entry, output, latency, judged.Scores, judged.Method, judged.Errors is { } errors ? string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value}")) : null);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // A cell that fails (the model is down, refuses, times out) is a result of the comparison, not a crash of it.
            var errorType = ChatErrorTypes.Of(ex);
            var message = errorType == ChatErrorTypes.Internal ? $"The run failed unexpectedly ({ex.GetType().Name})." : ex.Message;
            if (errorType == ChatErrorTypes.Internal)
            {
                LogRunFailed(ex, traceId);
            }

            PipelineNode.MarkFailed(root, errorType, message);
            var latency = (long)time.GetElapsedTime(started).TotalMilliseconds;
            result = result with { LatencyMs = latency, Error = new PlaygroundError(errorType, message) };
            entry = StandaloneRuns.Failed(entry, errorType, latency);
        }

        await ledger.WriteAsync(entry, cancellationToken).ConfigureAwait(false);
        return result;
    }

    private async Task<Judged> JudgeAsync(TwinProfile twin, PipelineResult output, CancellationToken cancellationToken)
    {
        var seconds = options.Value.JudgeTimeoutSeconds;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(seconds));
        var method = judges.UsesLlm ? JudgeMethods.Llm : JudgeMethods.Heuristic;
        try
        {
            var verdicts = await judges.JudgeAllAsync(StandaloneRuns.JudgeInputOf(twin, output), timeout.Token).ConfigureAwait(false);
            var errors = verdicts.Where(v => v.Error is not null).ToDictionary(v => v.Name, v => v.Error!, StringComparer.Ordinal);
            return new Judged(StandaloneRuns.ScoresOf(verdicts), method, errors.Count == 0 ? null : errors);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Judged.Failed(method, string.Create(CultureInfo.InvariantCulture, $"timeout: the judges did not finish within {seconds} s."));
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The reply stands without scores: a judge model that is down does not undo what the prompt produced.
            LogJudgesFailed(ex.GetType().Name);
            return Judged.Failed(method, $"{ChatErrorTypes.Of(ex)}: the judges could not run ({ex.GetType().Name}).");
        }
    }

    private static PipelineOverrides Overrides(PlaygroundCell cell, IReadOnlyDictionary<string, string> variables) => new()
    {
        Prompt = cell.Variant.Template,
        Variables = variables,
        Model = cell.Variant.Variant.Model,
        Temperature = cell.Variant.Variant.Temperature,
        FewShot = cell.FewShot,
        UseHistory = false,
    };

    private Activity? Start(PlaygroundCell cell)
    {
        var prompt = cell.Variant.PromptUsed;
        var metadata = new Dictionary<string, string>
        {
            ["twin_id"] = cell.Twin.Id,
            ["variant"] = cell.Variant.Variant.Name,
            ["prompt_name"] = prompt.Name,
            ["prompt_source"] = prompt.Source.ToString(),
        };
        if (prompt.Version is { } version)
        {
            metadata["prompt_version"] = version.ToString(CultureInfo.InvariantCulture);
        }

        if (cell.InComparison)
        {
            metadata["input_index"] = cell.Input.Index.ToString(CultureInfo.InvariantCulture);
        }

        return runs.StartTrace(
            new StandaloneTrace(TraceName, MetricEnvironments.Playground, UserId, metadata, ["twin:" + cell.Twin.Id, "variant:" + cell.Variant.Variant.Name]) { SessionId = cell.SessionId },
            ActivityKind.Internal);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A playground run failed unexpectedly (trace {TraceId})")]
    private partial void LogRunFailed(Exception exception, string traceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The playground's judges could not run ({ExceptionType}); the answer goes back without scores")]
    private partial void LogJudgesFailed(string exceptionType);

    private sealed record Judged(IReadOnlyDictionary<string, double> Scores, string? Method, IReadOnlyDictionary<string, string>? Errors)
    {
        public static Judged Skipped { get; } = new(new Dictionary<string, double>(), null, null);

        public static Judged Failed(string method, string error) => new(new Dictionary<string, double>(), method, new Dictionary<string, string> { ["judges"] = error });
    }
}

/// <summary>One run of the playground: a twin, a resolved variant, an input, and how the run is judged and grouped.</summary>
public sealed record PlaygroundCell(TwinProfile Twin, ResolvedVariant Variant, PlaygroundInput Input, bool Judge, bool FewShot)
{
    /// <summary>The comparison's session; null for a single test.</summary>
    public string? SessionId { get; init; }

    public bool InComparison => SessionId is not null;
}
