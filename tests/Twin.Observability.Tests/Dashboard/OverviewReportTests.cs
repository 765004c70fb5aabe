using Twin.Observability.Dashboard;
using Twin.Observability.Metrics;
using Twin.Observability.Tests.Metrics;
using Xunit;

namespace Twin.Observability.Tests.Dashboard;

/// <summary>The headline numbers' change against the previous period.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class OverviewReportTests
{
    [Theory]
    [InlineData(150.0, 100.0, 50.0, 50.0)]
    [InlineData(50.0, 100.0, -50.0, -50.0)]
    [InlineData(0.0, 0.003, -0.003, -100.0)]
    [InlineData(0.9, 0.6, 0.3, 50.0)]
    [InlineData(7.0, 7.0, 0.0, 0.0)]
    [InlineData(2.0, 3.0, -1.0, -33.33)]
    public void The_change_is_absolute_and_in_percent_of_the_previous_value(double value, double previous, double change, double percent)
    {
        Assert.Equal(new Headline(value, previous, change, percent), Headline.Of(value, previous));
    }

    [Fact]
    public void No_percentage_of_a_previous_zero_and_no_change_without_both_values()
    {
        Assert.Equal(new Headline(5, 0, 5, null), Headline.Of(5, 0));
        Assert.Equal(new Headline(120.5, null, null, null), Headline.Of(120.5, null));
        Assert.Equal(new Headline(null, 80, null, null), Headline.Of(null, 80));
        Assert.Equal(new Headline(null, null, null, null), Headline.Of(null, null));
    }

    [Fact]
    public async Task The_overview_takes_its_numbers_from_the_dashboard_reports_of_both_periods()
    {
        var bed = await MetricsTestbed.CreateAsync();
        var range = new MetricsRange(MetricsTestbed.Start + TimeSpan.FromHours(1), MetricsTestbed.Start + TimeSpan.FromHours(2), null, RollupGranularity.Minute);
        await bed.WriteAsync(range.From + TimeSpan.FromMinutes(1), latencyMs: 200, scores: null);
        await bed.WriteAsync(range.From + TimeSpan.FromMinutes(2), status: "error", errorType: "rate_limited");
        await bed.WriteAsync(range.From - TimeSpan.FromMinutes(30), latencyMs: 100);
        var current = MetricsReports.Dashboard(await bed.Query.QueryAsync(range, default));
        var previous = MetricsReports.Dashboard(await bed.Query.QueryAsync(range.Previous(), default));

        var overview = OverviewReport.Of(current, previous);

        Assert.Equal(new Headline(2, 1, 1, 100), overview.Requests);
        Assert.Equal(new Headline(1, 0, 1, null), overview.Errors);
        Assert.Equal(new Headline(0.5, 0, 0.5, null), overview.ErrorRate);
        Assert.Equal(current.Latency.P50, overview.LatencyP50Ms.Value);
        Assert.Equal(previous.Latency.P95, overview.LatencyP95Ms.Previous);
        Assert.Equal(new Headline(0.001, 0.001, 0, 0), overview.CostUsd);
        Assert.Equal(new Headline(30, 30, 0, 0), overview.Tokens);
        Assert.Equal(range.Previous().From, overview.PreviousQuery.From);
        Assert.Empty(overview.Scores);
    }
}
