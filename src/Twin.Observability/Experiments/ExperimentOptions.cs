using System.ComponentModel.DataAnnotations;

namespace Twin.Observability.Experiments;

/// <summary>The <c>Experiments</c> section: A/B tests.</summary>
public sealed class ExperimentOptions
{
    public const string SectionName = "Experiments";

    /// <summary>
    /// How long an instance keeps a twin's running test in memory for its chats. A test started or stopped on this
    /// instance applies at once; on others within this many seconds.
    /// </summary>
    [Range(0, 3600)]
    public int CacheSeconds { get; set; } = 10;
}
