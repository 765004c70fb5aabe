using System.ComponentModel.DataAnnotations;

namespace Twin.Observability.Datasets.Export;

/// <summary>The <c>Exports</c> section: how dataset exports run and how long their links live.</summary>
public sealed class ExportOptions
{
    public const string SectionName = "Exports";

    /// <summary>How long a read link of an exported file is valid. A user-delegation SAS lives at most 7 days.</summary>
    [Range(1, 7 * 24 * 60)]
    public int LinkMinutes { get; set; } = 60;

    /// <summary>Exports of more items than this answer 202 and run from the <c>exports</c> queue.</summary>
    [Range(0, 1_000_000)]
    public int SyncMaxItems { get; set; } = 5_000;

    /// <summary>The most items one export may write.</summary>
    [Range(1, 10_000_000)]
    public int MaxItems { get; set; } = 1_000_000;

    /// <summary>A queued export records its progress (and shows it is alive) after this many items.</summary>
    [Range(1, 1_000_000)]
    public int ProgressEvery { get; set; } = 1_000;

    /// <summary>A running export whose progress is older than this is taken over by a redelivered message.</summary>
    [Range(1, 24 * 60)]
    public int StaleMinutes { get; set; } = 10;

    public TimeSpan LinkLifetime => TimeSpan.FromMinutes(LinkMinutes);
}
