using System.Globalization;
using Twin.Observability.Common;

namespace Twin.Observability.Compare;

/// <summary>
/// Trace comparison (API.md "Trace comparison"): two chats side by side, or a batch of pairs with aggregates. Ids are
/// checked before anything is read; an unknown chat is a 404 naming its id, or that pair's error in a batch.
/// </summary>
public sealed class TraceCompareService(LedgerChatFinder finder)
{
    // Lookups of a batch at once: enough to overlap storage round trips, few enough not to crowd out chats.
    private const int BatchConcurrency = 4;

    public async Task<TraceComparison> CompareAsync(string? id1, string? id2, string? at1, string? at2, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var a = ChatRef.Parse(id1, "id1", errors);
        var b = ChatRef.Parse(id2, "id2", errors);
        var nearA = ParseHint(at1, "at1", errors);
        var nearB = ParseHint(at2, "at2", errors);
        errors.ThrowIfAny();

        var found = await Task.WhenAll(
            FindAsync(a!, nearA, cancellationToken),
            FindAsync(b!, nearB, cancellationToken)).ConfigureAwait(false);
        return TraceComparer.Compare(found[0], found[1]);
    }

    public async Task<BatchComparison> CompareBatchAsync(CompareBatchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var pairs = BatchPairs.Of(request);
        // A baseline compared with every trace is looked up once.
        var lookups = pairs.SelectMany(p => new[] { p.A, p.B }).Distinct()
            .ToDictionary(c => c, c => new Lazy<Task<ComparedChat>>(() => FindAsync(c, null, cancellationToken)));
        var results = new PairComparison[pairs.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, pairs.Count),
            new ParallelOptions { MaxDegreeOfParallelism = BatchConcurrency, CancellationToken = cancellationToken },
            async (i, _) => results[i] = await ComparePairAsync(pairs[i], lookups).ConfigureAwait(false)).ConfigureAwait(false);
        return new BatchComparison(results, TraceComparer.Aggregate(results));
    }

    private static async Task<PairComparison> ComparePairAsync((ChatRef A, ChatRef B) pair, Dictionary<ChatRef, Lazy<Task<ComparedChat>>> lookups)
    {
        try
        {
            var a = await lookups[pair.A].Value.ConfigureAwait(false);
            var b = await lookups[pair.B].Value.ConfigureAwait(false);
            return new PairComparison(pair.A.ToString(), pair.B.ToString(), TraceComparer.Compare(a, b).WithoutDiffRuns(), null);
        }
        catch (ResourceNotFoundException ex)
        {
            return new PairComparison(pair.A.ToString(), pair.B.ToString(), null, new PairError(404, "Not found.", ex.Message));
        }
    }

    private async Task<ComparedChat> FindAsync(ChatRef chat, DateTimeOffset? near, CancellationToken cancellationToken) =>
        await finder.FindAsync(chat, near, cancellationToken).ConfigureAwait(false)
        ?? throw new ResourceNotFoundException("Trace", chat.ToString());

    private static DateTimeOffset? ParseHint(string? value, string field, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
        {
            return at;
        }

        errors.Add(field, "must be an ISO 8601 time, e.g. 2026-05-01T12:00:00Z.");
        return null;
    }
}
