using System.ComponentModel.DataAnnotations;

namespace Twin.Observability.Compare;

/// <summary>The <c>Compare</c> section: how far back trace comparison looks for a chat given without a time.</summary>
public sealed class CompareOptions
{
    public const string SectionName = "Compare";

    /// <summary>
    /// Hours of ledger searched, newest first, for a trace whose time neither the caller (<c>at1</c>/<c>at2</c>) nor
    /// Langfuse gives. Each hour is one partition-range query, so this bounds the cost of an unknown id.
    /// </summary>
    [Range(1, 24 * 90)]
    public int LookbackHours { get; set; } = 168;
}
