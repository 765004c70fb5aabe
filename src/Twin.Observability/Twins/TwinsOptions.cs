using System.ComponentModel.DataAnnotations;

namespace Twin.Observability.Twins;

/// <summary>The <c>Twins</c> section.</summary>
public sealed class TwinsOptions
{
    public const string SectionName = "Twins";

    /// <summary>Creates the demo twin at start-up when it does not exist (the README's run command turns this on).</summary>
    public bool SeedDemoTwin { get; set; }

    [Range(1, 3650)]
    public int ShareTokenDefaultLifetimeDays { get; set; } = 30;

    [Range(1, 3650)]
    public int ShareTokenMaxLifetimeDays { get; set; } = 365;

    /// <summary>
    /// Base of the public share links (e.g. https://twins.example.com). Required outside Development; in Development,
    /// when unset, a loopback request's own origin (checked by <see cref="TwinsOptionsValidator"/> and <see cref="Sharing.ShareLinks"/>).
    /// </summary>
    public string? PublicBaseUrl { get; set; }
}
