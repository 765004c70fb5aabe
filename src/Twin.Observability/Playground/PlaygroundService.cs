using Microsoft.Extensions.Options;
using Twin.Observability.Chat;
using Twin.Observability.Common;
using Twin.Observability.Prompts;
using Twin.Observability.Twins;

namespace Twin.Observability.Playground;

/// <summary>
/// The prompt playground (API.md "Prompt playground"): a test runs one message under one set of settings; a
/// comparison runs every variant against every input with bounded parallelism and reports each variant's means. Both
/// validate everything first — the request, the twin (404), every named prompt (400 when unknown, as A/B tests
/// treat an unknown label) and every template variable (400 naming it) — so nothing runs on a request that cannot.
/// </summary>
public sealed class PlaygroundService(
    PlaygroundRunner runner,
    PromptService prompts,
    ITwinLookup twins,
    IOptions<PlaygroundOptions> options,
    IOptions<PromptOptions> promptOptions,
    IOptions<TwinChatOptions> chat,
    TimeProvider time)
{
    /// <summary>The twin id of runs without a twin: a neutral profile with no persona rules of its own and no knowledge.</summary>
    public const string NeutralTwinId = "playground";

    /// <exception cref="ChatFailedException">The run failed (the model is down, refused or timed out); it carries the trace id.</exception>
    public async Task<PlaygroundRun> TestAsync(PlaygroundTestRequest? request, CancellationToken cancellationToken)
    {
        var plan = PlaygroundValidator.Validate(request, options.Value, chat.Value.MaxMessageLength);
        var (twin, variants) = await PrepareAsync(plan, cancellationToken).ConfigureAwait(false);
        var run = await runner.RunAsync(new PlaygroundCell(twin, variants[0], plan.Inputs[0], plan.Judge, plan.FewShot), cancellationToken).ConfigureAwait(false);
        return run.Error is { } error ? throw new ChatFailedException(error.Type, error.Message) { TraceId = run.TraceId } : run;
    }

    public async Task<PlaygroundComparison> CompareAsync(PlaygroundCompareRequest? request, CancellationToken cancellationToken)
    {
        var plan = PlaygroundValidator.Validate(request, options.Value, chat.Value.MaxMessageLength);
        var (twin, variants) = await PrepareAsync(plan, cancellationToken).ConfigureAwait(false);
        var sessionId = "playground-" + Guid.NewGuid().ToString("N");
        var inputs = plan.Inputs;
        var cells = new PlaygroundRun[variants.Count * inputs.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxParallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, cells.Length), parallel, async (i, ct) =>
        {
            var cell = new PlaygroundCell(twin, variants[i / inputs.Count], inputs[i % inputs.Count], plan.Judge, plan.FewShot) { SessionId = sessionId };
            cells[i] = await runner.RunAsync(cell, ct).ConfigureAwait(false);
        }).ConfigureAwait(false);

        var summaries = variants.Select(v => Summarize(v, cells.Where(c => c.Variant == v.Variant.Index).ToList())).ToList();
        return new PlaygroundComparison(sessionId, summaries, [.. inputs.Select(i => new PlaygroundInputView(i.Index, i.Message))], cells);
    }

    private async Task<(TwinProfile Twin, IReadOnlyList<ResolvedVariant> Variants)> PrepareAsync(PlaygroundPlan plan, CancellationToken cancellationToken)
    {
        var twin = plan.TwinId is { } twinId
            ? await twins.FindAsync(twinId, cancellationToken).ConfigureAwait(false) ?? throw new ResourceNotFoundException("Twin", twinId)
            : NeutralTwin();
        var errors = new ValidationErrors();
        var variants = new List<ResolvedVariant>();
        foreach (var variant in plan.Variants)
        {
            if (await ResolveAsync(variant, errors, cancellationToken).ConfigureAwait(false) is { } resolved)
            {
                PlaygroundValidator.CheckVariables(errors, resolved, twin, plan.Inputs);
                variants.Add(resolved);
            }
        }

        errors.ThrowIfAny();
        return (twin, variants);
    }

    // Resolved once, up front, and handed to the pipeline whole: the chat path's silent fallback to the built-in prompt
    // would otherwise let an unknown label "work" with another prompt.
    private async Task<ResolvedVariant?> ResolveAsync(PlaygroundVariant variant, ValidationErrors errors, CancellationToken cancellationToken)
    {
        if (variant.InlinePrompt is { } inline)
        {
            return new ResolvedVariant(variant, inline, null);
        }

        var name = variant.PromptName ?? promptOptions.Value.SystemPromptName;
        if (await prompts.FindAsync(name, variant.PromptLabel, variant.PromptVersion, cancellationToken).ConfigureAwait(false) is { } template)
        {
            return new ResolvedVariant(variant, template, variant.PromptVersion is null ? variant.PromptLabel ?? promptOptions.Value.DefaultLabel : null);
        }

        var (field, at) = (variant.PromptLabel, variant.PromptVersion) switch
        {
            ({ } label, _) => ("promptLabel", $" with label '{label}'"),
            (_, { } version) => ("promptVersion", $" at version {version}"),
            _ => ("promptName", ""),
        };
        errors.Add(variant.Field + field, $"there is no prompt '{name}'{at}.");
        return null;
    }

    private TwinProfile NeutralTwin()
    {
        var now = time.GetUtcNow();
        return new TwinProfile(
            NeutralTwinId,
            "Playground",
            "You are a helpful assistant. Answer the user's message plainly and briefly.",
            [],
            Model: null,
            Temperature: null,
            AllowedOrigins: [],
            now,
            now,
            ETag: "");
    }

    private static PlaygroundVariantSummary Summarize(ResolvedVariant variant, List<PlaygroundRun> cells)
    {
        var ok = cells.Where(c => c.Error is null).ToList();
        var costs = ok.Where(c => c.CostUsd is not null).Select(c => c.CostUsd!.Value).ToList();
        var scores = ok.SelectMany(c => c.Scores)
            .GroupBy(s => s.Key, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Math.Round(g.Average(s => s.Value), 4), StringComparer.Ordinal);
        return new PlaygroundVariantSummary(
            variant.Variant.Index,
            variant.Variant.Name,
            variant.PromptUsed,
            variant.Variant.Model,
            variant.Variant.Temperature,
            cells.Count,
            ok.Count,
            cells.Count - ok.Count,
            ok.Count == 0 ? null : Math.Round(ok.Average(c => (double)c.LatencyMs), 1),
            costs.Count == 0 ? null : decimal.Round(costs.Average(), 8),
            scores);
    }
}
