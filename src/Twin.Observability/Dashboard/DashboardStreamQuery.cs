using System.Globalization;
using Twin.Observability.Common;
using Twin.Observability.Metrics;

namespace Twin.Observability.Dashboard;

/// <summary>
/// What a dashboard stream shows: the overview over the last <c>hours</c> (default 24, at most 720: the page's
/// ranges), all twins or <c>twinId</c>'s, and the recent traces of the same twin.
/// </summary>
public sealed record DashboardStreamQuery(int Hours, string? TwinId)
{
    public const int DefaultHours = 24;

    public const int MaxHours = 24 * 30;

    public static DashboardStreamQuery Parse(string? hours, string? twinId)
    {
        var value = DefaultHours;
        if (!string.IsNullOrWhiteSpace(hours)
            && (!int.TryParse(hours.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out value) || value is < 1 or > MaxHours))
        {
            throw new RequestValidationException("hours", $"hours must be a whole number from 1 to {MaxHours}.");
        }

        return new DashboardStreamQuery(value, string.IsNullOrWhiteSpace(twinId) ? null : twinId.Trim());
    }

    /// <summary>
    /// The overview's range at <paramref name="now"/>: the <c>hours</c> up to the next whole minute, the range the page
    /// asks the JSON routes for, so a live number and a reloaded one agree.
    /// </summary>
    public MetricsRange RangeAt(DateTimeOffset now)
    {
        var minute = TimeSpan.TicksPerMinute;
        var to = new DateTimeOffset((now.UtcTicks + minute - 1) / minute * minute, TimeSpan.Zero);
        var from = to - TimeSpan.FromHours(Hours);
        return MetricsRange.Parse(from.ToString("O", CultureInfo.InvariantCulture), to.ToString("O", CultureInfo.InvariantCulture), TwinId, null, now);
    }
}
