using System.Runtime.CompilerServices;

namespace Twin.Observability.Datasets.Export;

/// <summary>
/// The examples an export writes, read page by page from the dataset store: supervised formats get the dataset's
/// items that pass <c>minScore</c>; preference formats get pairs of a chosen and a rejected reply to the same prompt
/// (same content words). Only the rejected replies are held in memory while the chosen ones stream by.
/// </summary>
public sealed class ExportExampleSource(IDatasetStore store, SystemPromptSource systemPrompts, string rejectedSetName)
{
    public ExportCounters Counters { get; } = new();

    public IAsyncEnumerable<ExportExample> ReadAsync(ExportPlan plan, bool pairs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return pairs ? ReadPairsAsync(plan, cancellationToken) : ReadSupervisedAsync(plan, cancellationToken);
    }

    private async IAsyncEnumerable<ExportExample> ReadSupervisedAsync(ExportPlan plan, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in store.ListItemsAsync(plan.Dataset, cancellationToken).ConfigureAwait(false))
        {
            Counters.Read++;
            if (await PrepareAsync(item, plan, cancellationToken).ConfigureAwait(false) is { } example)
            {
                yield return example;
            }
        }
    }

    private async IAsyncEnumerable<ExportExample> ReadPairsAsync(ExportPlan plan, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var rejected = await RejectedRepliesAsync(plan, cancellationToken).ConfigureAwait(false);
        await foreach (var item in store.ListItemsAsync(plan.Dataset, cancellationToken).ConfigureAwait(false))
        {
            Counters.Read++;
            if (await PrepareAsync(item, plan, cancellationToken).ConfigureAwait(false) is not { } chosen || !IsChosen(chosen, plan))
            {
                continue;
            }

            if (!rejected.TryGetValue(ExportSplit.PromptKeyOf(chosen.User), out var worse))
            {
                Counters.WithoutPair++;
                continue;
            }

            yield return chosen with { Rejected = worse.Assistant };
        }
    }

    /// <summary>The rejected reply of each prompt: the lowest-scored one when a pair score decides, else the first.</summary>
    private async Task<Dictionary<ulong, ExportExample>> RejectedRepliesAsync(ExportPlan plan, CancellationToken cancellationToken)
    {
        var replies = new Dictionary<ulong, ExportExample>();
        void Offer(ExportExample example)
        {
            var key = ExportSplit.PromptKeyOf(example.User);
            if (!replies.TryGetValue(key, out var kept) || (plan.PairScore is { } score && example.Scores[score] < kept.Scores[score]))
            {
                replies[key] = example;
            }
        }

        if (await store.ExistsAsync(rejectedSetName, cancellationToken).ConfigureAwait(false))
        {
            await foreach (var item in store.ListItemsAsync(rejectedSetName, cancellationToken).ConfigureAwait(false))
            {
                if (ExampleReader.Read(item).Example is { } example && IsRejected(example, plan))
                {
                    Offer(example);
                }
            }
        }

        // With a pair score the dataset's own items may fall below it too.
        if (plan.PairScore is not null)
        {
            await foreach (var item in store.ListItemsAsync(plan.Dataset, cancellationToken).ConfigureAwait(false))
            {
                if (ExampleReader.Read(item).Example is { } example && IsRejected(example, plan))
                {
                    Offer(example);
                }
            }
        }

        return replies;
    }

    private static bool IsRejected(ExportExample example, ExportPlan plan) =>
        plan.PairScore is not { } score || (example.Scores.TryGetValue(score, out var value) && value < plan.PairThreshold);

    private static bool IsChosen(ExportExample example, ExportPlan plan) =>
        plan.PairScore is not { } score || (example.Scores.TryGetValue(score, out var value) && value >= plan.PairThreshold);

    private async ValueTask<ExportExample?> PrepareAsync(DatasetItem item, ExportPlan plan, CancellationToken cancellationToken)
    {
        var read = ExampleReader.Read(item);
        if (read.Example is not { } example)
        {
            ExportCounters.Count(Counters.Unreadable, read.Failure!);
            return null;
        }

        foreach (var (name, minimum) in plan.MinScore)
        {
            if (!example.Scores.TryGetValue(name, out var value) || value < minimum)
            {
                Counters.BelowMinScore++;
                return null;
            }
        }

        if (!plan.IncludeSystemPrompt)
        {
            return example with { System = null };
        }

        return example.System is not null
            ? example
            : example with { System = await systemPrompts.ForAsync(example.TwinId, read.Knowledge, cancellationToken).ConfigureAwait(false) };
    }
}
