using Twin.Observability.Common;
using Twin.Observability.Metrics;
using Xunit;

namespace Twin.Observability.Tests.Metrics;

public sealed class MetricsRangeTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 10, 17, 42, TimeSpan.Zero);

    [Fact]
    public void Without_parameters_the_range_is_the_last_24_hours_in_whole_minutes_by_hour()
    {
        var range = MetricsRange.Parse(null, null, null, null, Now);

        Assert.Equal(new DateTimeOffset(2026, 12, 3, 10, 17, 0, TimeSpan.Zero), range.From);
        Assert.Equal(new DateTimeOffset(2026, 12, 4, 10, 18, 0, TimeSpan.Zero), range.To);
        Assert.Equal(RollupGranularity.Hour, range.Interval);
        Assert.Null(range.TwinId);
    }

    [Theory]
    [InlineData("2026-12-04T10:00:00Z", "2026-12-04T09:00:00Z", null, "from")]
    [InlineData("2026-12-04T10:00:00Z", "2026-12-04T10:00:00Z", null, "from")]
    [InlineData("yesterday", null, null, "from")]
    [InlineData(null, "2026-13-01", null, "to")]
    [InlineData("2025-01-01T00:00:00Z", "2026-12-01T00:00:00Z", "day", "to")]
    [InlineData(null, null, "week", "interval")]
    [InlineData("2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z", "minute", "interval")]
    public void Bad_ranges_are_refused_naming_the_field(string? from, string? to, string? interval, string field)
    {
        var error = Assert.Throws<RequestValidationException>(() => MetricsRange.Parse(from, to, null, interval, Now));

        Assert.Contains(field, error.Errors.Keys);
    }

    [Fact]
    public void Buckets_start_at_from_then_follow_interval_boundaries()
    {
        var range = MetricsRange.Parse("2026-12-01T10:20:30 01:00", "2026-12-01T12:05:00Z", " demo ", "hour", Now);

        Assert.Equal("demo", range.TwinId);
        Assert.Equal(
            [new DateTimeOffset(2026, 12, 1, 9, 20, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 1, 11, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero)],
            range.BucketStarts());
    }

    [Fact]
    public void A_bucket_before_the_watermark_is_covered_by_days_then_hours_then_minutes_and_nothing_after_it()
    {
        var from = new DateTimeOffset(2026, 11, 1, 22, 58, 0, TimeSpan.Zero);
        var to = new DateTimeOffset(2026, 11, 5, 1, 2, 0, TimeSpan.Zero);
        var watermark = new DateTimeOffset(2026, 11, 4, 23, 30, 0, TimeSpan.Zero);
        var buckets = new[] { new MetricsBucket(from, new MetricAggregate()) };

        var units = MetricsQuery.Cover(buckets, to, watermark).ToList();

        Assert.Equal(
            [
                (RollupGranularity.Minute, from), (RollupGranularity.Minute, from.AddMinutes(1)),
                (RollupGranularity.Hour, new DateTimeOffset(2026, 11, 1, 23, 0, 0, TimeSpan.Zero)),
                (RollupGranularity.Day, new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero)),
                (RollupGranularity.Day, new DateTimeOffset(2026, 11, 3, 0, 0, 0, TimeSpan.Zero)),
                .. Enumerable.Range(0, 23).Select(h => (RollupGranularity.Hour, new DateTimeOffset(2026, 11, 4, h, 0, 0, TimeSpan.Zero))),
                .. Enumerable.Range(0, 30).Select(m => (RollupGranularity.Minute, new DateTimeOffset(2026, 11, 4, 23, m, 0, TimeSpan.Zero))),
            ],
            units.Select(u => (u.Granularity, u.Start)));
        Assert.All(units, u => Assert.Equal(0, u.Bucket));
    }
}
