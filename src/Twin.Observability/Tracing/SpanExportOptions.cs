using System.ComponentModel.DataAnnotations;

namespace Twin.Observability.Tracing;

/// <summary>The <c>Telemetry:Export</c> section: how export trouble with Langfuse is reported (logs and health).</summary>
public sealed class SpanExportOptions
{
    public const string SectionName = "Telemetry:Export";

    /// <summary>At most one warning per interval; each says what failed since the previous one.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan WarningInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a failed or dropped span keeps Langfuse's health component degraded.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan HealthWindow { get; set; } = TimeSpan.FromMinutes(5);
}
