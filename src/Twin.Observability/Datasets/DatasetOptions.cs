using System.ComponentModel.DataAnnotations;

namespace Twin.Observability.Datasets;

/// <summary>The <c>Datasets</c> section: which judged conversations become dataset items, and where.</summary>
public sealed class DatasetOptions
{
    public const string SectionName = "Datasets";

    /// <summary>Add conversations whose scores pass <see cref="Thresholds"/> to the twin's dataset.</summary>
    public bool Collect { get; set; } = true;

    /// <summary>The dataset of a twin; <c>{twinId}</c> is replaced by the twin's id.</summary>
    [Required]
    public string NameFormat { get; set; } = "twin-{twinId}";

    /// <summary>
    /// The least score each judge must give (0..1). A score named here that is missing or failed keeps the
    /// conversation out; names not listed are not required.
    /// </summary>
    public Dictionary<string, double> Thresholds { get; set; } = new(StringComparer.Ordinal)
    {
        ["relevance"] = 0.5,
        ["groundedness"] = 0.5,
        ["persona_consistency"] = 0.8,
    };

    /// <summary>Inputs at least this similar (Jaccard over content words) to an item already collected are skipped as near duplicates.</summary>
    [Range(0.0, 1.0)]
    public double NearDuplicateSimilarity { get; set; } = 0.85;

    /// <summary>
    /// Keep turns a judge scored below its threshold in a separate set (<see cref="RejectedNameOf"/>), never in the
    /// training set: preference exports (DPO) pair them, as the non-preferred reply, with passing replies to the same prompt.
    /// </summary>
    public bool KeepRejected { get; set; } = true;

    /// <summary>Appended to a dataset's name to name its set of rejected turns.</summary>
    [Required]
    [RegularExpression(@"^[A-Za-z0-9_.:-]{1,40}$")]
    public string RejectedSuffix { get; set; } = "-rejected";

    public string RejectedNameOf(string datasetName) => datasetName + RejectedSuffix;

    public string DatasetNameFor(string twinId) => NameFormat.Replace("{twinId}", twinId, StringComparison.Ordinal);
}
