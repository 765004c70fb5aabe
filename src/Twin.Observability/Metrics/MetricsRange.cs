using System.Globalization;
using Twin.Observability.Common;

namespace Twin.Observability.Metrics;

/// <summary>
/// The time range, twin and bucket size of a metrics query (API.md: <c>from</c>, <c>to</c> in ISO 8601 UTC, default
/// the last 24 hours; <c>twinId</c>; <c>interval</c> minute, hour or day). Rollups hold whole minutes, so
/// <see cref="From"/> is floored and <see cref="To"/> ceiled to the minute.
/// </summary>
public sealed record MetricsRange(DateTimeOffset From, DateTimeOffset To, string? TwinId, RollupGranularity Interval)
{
    public const int MaxDays = 400;

    public const int MaxBuckets = 1_500;

    public static MetricsRange Parse(string? from, string? to, string? twinId, string? interval, DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        var end = ParseTime(to, "to", errors) ?? now;
        var start = ParseTime(from, "from", errors) ?? end - TimeSpan.FromHours(24);
        start = RollupGranularity.Minute.Floor(start);
        end = Ceiling(end);
        RollupGranularity? size = interval?.Trim().ToLowerInvariant() switch
        {
            null or "" => null,
            "minute" => RollupGranularity.Minute,
            "hour" => RollupGranularity.Hour,
            "day" => RollupGranularity.Day,
            _ => Invalid(errors, "interval", "must be minute, hour or day."),
        };

        if (errors.IsEmpty && start >= end)
        {
            errors.Add("from", "must be before to.");
        }

        if (errors.IsEmpty && end - start > TimeSpan.FromDays(MaxDays))
        {
            errors.Add("to", $"the range may span at most {MaxDays} days.");
        }

        var chosen = size ?? DefaultInterval(end - start);
        if (errors.IsEmpty && BucketCount(start, end, chosen) > MaxBuckets)
        {
            errors.Add("interval", $"{chosen.ToString().ToLowerInvariant()} buckets over this range would be more than {MaxBuckets}; choose a larger interval or a shorter range.");
        }

        errors.ThrowIfAny();
        return new MetricsRange(start, end, string.IsNullOrWhiteSpace(twinId) ? null : twinId.Trim(), chosen);
    }

    /// <summary>Bucket starts: <see cref="From"/>, then each interval boundary after it, up to <see cref="To"/>.</summary>
    public IReadOnlyList<DateTimeOffset> BucketStarts()
    {
        var starts = new List<DateTimeOffset>();
        for (var start = From; start < To; start = Interval.Floor(start) + Interval.Length())
        {
            starts.Add(start);
        }

        return starts;
    }

    /// <summary>The previous range of the same length, for "change against the previous period".</summary>
    public MetricsRange Previous() => this with { From = From - (To - From), To = From };

    private static int BucketCount(DateTimeOffset start, DateTimeOffset end, RollupGranularity interval) =>
        (int)Math.Min(int.MaxValue, Math.Ceiling((end - interval.Floor(start)) / interval.Length()));

    private static RollupGranularity DefaultInterval(TimeSpan span) =>
        span <= TimeSpan.FromHours(3) ? RollupGranularity.Minute : span <= TimeSpan.FromDays(7) ? RollupGranularity.Hour : RollupGranularity.Day;

    private static DateTimeOffset Ceiling(DateTimeOffset at)
    {
        var floor = RollupGranularity.Minute.Floor(at);
        return floor == at ? at : floor + TimeSpan.FromMinutes(1);
    }

    /// <summary>An ISO 8601 time from a query string (UTC when it names no offset), or null when absent; a bad one is an error on <paramref name="field"/>.</summary>
    public static DateTimeOffset? ParseTime(string? value, string field, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        // An unencoded "+01:00" offset reaches us as " 01:00" (a query string's plus is a space).
        value = value.Trim().Replace(' ', '+');
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            && parsed.Year is >= 2000 and <= 9000)
        {
            return parsed.ToUniversalTime();
        }

        errors.Add(field, "must be an ISO 8601 time, such as 2026-12-01T00:00:00Z.");
        return null;
    }

    private static RollupGranularity? Invalid(ValidationErrors errors, string field, string message)
    {
        errors.Add(field, message);
        return null;
    }
}
