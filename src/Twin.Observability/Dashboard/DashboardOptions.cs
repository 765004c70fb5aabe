using System.ComponentModel.DataAnnotations;

namespace Twin.Observability.Dashboard;

/// <summary>The <c>Dashboard</c> section: the live stream's pace and how long one response may last.</summary>
public sealed class DashboardOptions : IValidatableObject
{
    public const string SectionName = "Dashboard";

    /// <summary>Seconds between two events of <c>GET /api/dashboard/stream</c>; each event costs one round of queries.</summary>
    [Range(1, 60)]
    public int StreamIntervalSeconds { get; set; } = 5;

    /// <summary>
    /// Seconds one stream response lasts before it ends with a reconnect hint. Azure's front end cuts an HTTP request
    /// after 230 s whatever <c>functionTimeout</c> says, so the stream ends itself first and the browser resumes.
    /// </summary>
    [Range(1, 230)]
    public int StreamMaxSeconds { get; set; } = 230;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (StreamMaxSeconds < StreamIntervalSeconds)
        {
            yield return new ValidationResult(
                "Dashboard:StreamMaxSeconds must be at least Dashboard:StreamIntervalSeconds.",
                [nameof(StreamMaxSeconds), nameof(StreamIntervalSeconds)]);
        }
    }
}
