using System.Globalization;

namespace Twin.Observability.Metrics;

/// <summary>The time units rollups are kept in: a minute, an hour, a day (UTC).</summary>
public enum RollupGranularity
{
    Minute,
    Hour,
    Day,
}

public static class RollupGranularityExtensions
{
    public static TimeSpan Length(this RollupGranularity granularity) => granularity switch
    {
        RollupGranularity.Minute => TimeSpan.FromMinutes(1),
        RollupGranularity.Hour => TimeSpan.FromHours(1),
        _ => TimeSpan.FromDays(1),
    };

    /// <summary>The start of the unit that holds <paramref name="at"/>.</summary>
    public static DateTimeOffset Floor(this RollupGranularity granularity, DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return granularity switch
        {
            RollupGranularity.Minute => new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, 0, TimeSpan.Zero),
            RollupGranularity.Hour => new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero),
            _ => new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero),
        };
    }

    public static bool IsAligned(this RollupGranularity granularity, DateTimeOffset at) => granularity.Floor(at) == at;

    /// <summary>The unit's letter in partition keys: <c>m</c>, <c>h</c>, <c>d</c>.</summary>
    public static char Letter(this RollupGranularity granularity) => granularity switch
    {
        RollupGranularity.Minute => 'm',
        RollupGranularity.Hour => 'h',
        _ => 'd',
    };

    /// <summary>The unit's start as fixed-width digits (<c>yyyyMMddHHmm</c>, <c>yyyyMMddHH</c>, <c>yyyyMMdd</c>), so keys sort in time order.</summary>
    public static string Stamp(this RollupGranularity granularity, DateTimeOffset start) =>
        start.UtcDateTime.ToString(Format(granularity), CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseStamp(this RollupGranularity granularity, string stamp) =>
        new(DateTime.ParseExact(stamp, Format(granularity), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), TimeSpan.Zero);

    private static string Format(RollupGranularity granularity) => granularity switch
    {
        RollupGranularity.Minute => "yyyyMMddHHmm",
        RollupGranularity.Hour => "yyyyMMddHH",
        _ => "yyyyMMdd",
    };
}
