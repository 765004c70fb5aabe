using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Twin.Observability.Experiments;

/// <summary>
/// Each twin's running test as its chats see it, kept in memory for <see cref="ExperimentOptions.CacheSeconds"/>, so a
/// chat costs no storage read for it; starting or stopping a test on this instance drops the entry at once.
/// </summary>
public sealed class RunningExperiments(ExperimentStore store, IOptions<ExperimentOptions> options, TimeProvider time) : IExperimentArms
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>The test and variant that a chat of <paramref name="unitId"/> with this twin joins, or null.</summary>
    public async Task<ExperimentArm?> ArmAsync(string twinId, string unitId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (!_entries.TryGetValue(twinId, out var entry) || now - entry.LoadedAt >= TimeSpan.FromSeconds(options.Value.CacheSeconds))
        {
            entry = await LoadAsync(twinId, now, cancellationToken).ConfigureAwait(false);
            _entries[twinId] = entry;
        }

        if (entry.Test is not { } test || !test.IsActiveAt(now))
        {
            return null;
        }

        return new ExperimentArm(test.Id, test.Variants[VariantAssigner.Assign(test.Id, unitId, entry.Cumulative)]);
    }

    public void Forget(string twinId) => _entries.TryRemove(twinId, out _);

    private async Task<Entry> LoadAsync(string twinId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var test = await store.RunningTestIdAsync(twinId, cancellationToken).ConfigureAwait(false) is { } id
            ? await store.FindAsync(id, cancellationToken).ConfigureAwait(false)
            : null;
        return test is { Status: AbTest.Running }
            ? new Entry(test, VariantAssigner.CumulativeWeights([.. test.Variants.Select(v => v.Weight)]), now)
            : new Entry(null, [], now);
    }

    private sealed record Entry(AbTest? Test, double[] Cumulative, DateTimeOffset LoadedAt);
}

/// <summary>The test a chat joined and the variant it was given.</summary>
public sealed record ExperimentArm(string TestId, AbTestVariant Variant);
