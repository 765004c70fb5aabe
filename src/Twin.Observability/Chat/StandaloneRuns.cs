using System.Diagnostics;
using Microsoft.Extensions.Options;
using Twin.Observability.Evaluation;
using Twin.Observability.Langfuse;
using Twin.Observability.Ledger;
using Twin.Observability.Tracing;
using Twin.Observability.Twins;

namespace Twin.Observability.Chat;

/// <summary>
/// What runs of the pipeline that are nobody's conversation (a regression item, a playground cell) share: each is a
/// trace of its own in its own environment, judged at once rather than on the evaluations queue, and a ledger row in
/// that environment filled from the pipeline's result, so the kinds of run cannot drift apart in what they record.
/// </summary>
public sealed class StandaloneRuns(TraceOwner owner, IOptions<LangfuseOptions> langfuse)
{
    /// <summary>Starts the run's root (null when nobody listens), carrying <paramref name="run"/> as its trace scope.</summary>
    public Activity? StartTrace(StandaloneTrace run, ActivityKind kind)
    {
        ArgumentNullException.ThrowIfNull(run);
        // No caller to continue: a run is found by its tags and session, not by a request it hangs off.
        var root = RootSpans.Start(run.Name, kind, incoming: null);
        if (root is null)
        {
            return null;
        }

        var scope = new TraceScope
        {
            Name = run.Name,
            Owner = owner,
            Environment = run.Environment,
            Release = langfuse.Value.Release,
            UserId = run.UserId,
            SessionId = run.SessionId,
            Metadata = run.Metadata,
        };
        scope.AddTag(run.Environment);
        foreach (var tag in run.Tags)
        {
            scope.AddTag(tag);
        }

        scope.AttachTo(root);
        root.SetTag(LangfuseAttributes.ObservationType, ObservationTypes.Chain);
        return root;
    }

    /// <summary>What the judges see of a run: the twin it ran as, the message, the reply and the knowledge the model saw.</summary>
    public static JudgeInput JudgeInputOf(TwinProfile twin, PipelineResult output)
    {
        ArgumentNullException.ThrowIfNull(twin);
        ArgumentNullException.ThrowIfNull(output);
        return new JudgeInput(twin.Id, twin.Name, twin.Persona, twin.PersonaRules, output.Message, output.Reply, output.Knowledge);
    }

    /// <summary>The verdicts that gave a score, by score name (a judge that could not score is left out, never zeroed).</summary>
    public static IReadOnlyDictionary<string, double> ScoresOf(IEnumerable<JudgeVerdict> verdicts) =>
        verdicts.Where(v => v.Score is not null).ToDictionary(v => v.Name, v => v.Score!.Value, StringComparer.Ordinal);

    /// <summary><paramref name="entry"/> for a run the pipeline answered.</summary>
    public static LedgerEntry Succeeded(LedgerEntry entry, PipelineResult output, long latencyMs, IReadOnlyDictionary<string, double> scores, string? scoreMethod, string? judgeErrors = null)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(output);
        return entry with
        {
            Status = "ok",
            HttpStatus = 200,
            LatencyMs = latencyMs,
            Model = output.Model,
            InputTokens = output.Usage.InputTokens,
            OutputTokens = output.Usage.OutputTokens,
            CostUsd = output.CostUsd,
            PromptName = output.PromptName,
            PromptVersion = output.PromptVersion,
            NodeTimings = output.Timings.ToJson(),
            Message = output.Message,
            Reply = output.Reply,
            Scores = scores,
            ScoreMethod = scoreMethod,
            JudgeErrors = judgeErrors,
        };
    }

    /// <summary><paramref name="entry"/> for a run that failed with <paramref name="errorType"/> (<see cref="ChatErrorTypes"/>).</summary>
    public static LedgerEntry Failed(LedgerEntry entry, string errorType, long latencyMs)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry with { Status = "error", HttpStatus = ChatErrorTypes.StatusOf(errorType), ErrorType = errorType, LatencyMs = latencyMs };
    }
}

/// <summary>The trace-level facts of a standalone run; its environment is also one of its tags.</summary>
public sealed record StandaloneTrace(string Name, string Environment, string UserId, IReadOnlyDictionary<string, string> Metadata, IReadOnlyList<string> Tags)
{
    public string? SessionId { get; init; }
}
