using Twin.Observability.Monitoring;
using Xunit;
using static Twin.Observability.Tests.Monitoring.MonitorTestSupport;

namespace Twin.Observability.Tests.Monitoring;

public sealed class MonitorDueTests
{
    [Fact]
    public void A_disabled_check_is_never_due()
    {
        Assert.False(MonitorDue.IsDue(Check(enabled: false), null, T0));
        Assert.False(MonitorDue.IsDue(Check(enabled: false), Result("c", T0.AddDays(-1)), T0));
    }

    [Fact]
    public void A_check_never_run_is_due()
    {
        Assert.True(MonitorDue.IsDue(Check(), null, T0));
    }

    [Theory]
    [InlineData(5, 300, true)]          // exactly the interval
    [InlineData(5, 295, true)]          // five seconds early: within the tolerance
    [InlineData(5, 294.999, false)]     // just beyond it
    [InlineData(5, 60, false)]
    [InlineData(5, 86_400, true)]
    [InlineData(1, 58, true)]           // a per-minute timer whose last run started two seconds late
    [InlineData(1, 54, false)]
    [InlineData(1_440, 86_395, true)]
    [InlineData(1_440, 86_394, false)]
    public void Due_once_the_interval_has_passed_less_five_seconds(int intervalMinutes, double secondsSinceLast, bool due)
    {
        var last = Result("c", T0.AddSeconds(-secondsSinceLast));

        Assert.Equal(due, MonitorDue.IsDue(Check(intervalMinutes: intervalMinutes), last, T0));
    }

    [Fact]
    public void A_result_stamped_in_the_future_is_not_due()
    {
        Assert.False(MonitorDue.IsDue(Check(intervalMinutes: 1), Result("c", T0.AddMinutes(1)), T0));
    }
}
