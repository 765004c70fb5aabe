namespace Twin.Observability.Datasets.Export;

/// <summary>What an export read and left out, and why; one instance per export, updated as items stream by.</summary>
public sealed class ExportCounters
{
    public long Read { get; set; }

    /// <summary>Items that are no example at all (no user message, no reply), by reason code.</summary>
    public Dictionary<string, long> Unreadable { get; } = new(StringComparer.Ordinal);

    /// <summary>Items left out by <c>minScore</c>.</summary>
    public long BelowMinScore { get; set; }

    /// <summary>Preference formats: chosen replies for whose prompt no rejected reply exists.</summary>
    public long WithoutPair { get; set; }

    /// <summary>Examples the format's rules refused, by rule code; never written.</summary>
    public Dictionary<string, long> Invalid { get; } = new(StringComparer.Ordinal);

    public static void Count(Dictionary<string, long> counts, string code)
    {
        ArgumentNullException.ThrowIfNull(counts);
        counts[code] = counts.GetValueOrDefault(code) + 1;
    }
}
