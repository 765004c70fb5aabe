using Twin.Observability.Alerts;
using Xunit;
using static Twin.Observability.Tests.Alerts.Rules.AlertTestSupport;

namespace Twin.Observability.Tests.Alerts.Rules;

public sealed class AlertEvaluatorTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    /// <summary>Runs one evaluation per value, a minute apart from <see cref="AlertTestSupport.T0"/>, threading the state.</summary>
    private static List<AlertEvaluation> Run(AlertRule rule, params double?[] values) => Run(rule, NewState(), T0, values);

    private static List<AlertEvaluation> Run(AlertRule rule, AlertState state, DateTimeOffset start, params double?[] values)
    {
        var results = new List<AlertEvaluation>();
        for (var i = 0; i < values.Length; i++)
        {
            var evaluation = AlertEvaluator.Evaluate(rule, state, new AlertReading(values[i], values[i] is null ? 0 : 10), start + (i * Minute));
            results.Add(evaluation);
            state = evaluation.Next;
        }

        return results;
    }

    [Theory]
    [InlineData("gt", 9.99, false)]
    [InlineData("gt", 10, false)]
    [InlineData("gt", 10.01, true)]
    [InlineData("gte", 9.99, false)]
    [InlineData("gte", 10, true)]
    [InlineData("gte", 10.01, true)]
    [InlineData("lt", 9.99, true)]
    [InlineData("lt", 10, false)]
    [InlineData("lt", 10.01, false)]
    [InlineData("lte", 9.99, true)]
    [InlineData("lte", 10, true)]
    [InlineData("lte", 10.01, false)]
    public void Comparators_breach_at_and_around_the_threshold(string comparator, double value, bool breaching)
    {
        var evaluation = AlertEvaluator.Evaluate(Rule(comparator, threshold: 10), NewState(), new AlertReading(value, 1), T0);

        Assert.Equal(breaching, evaluation.Breaching);
        Assert.Equal(breaching ? AlertState.Firing : AlertState.Ok, evaluation.Next.Status);
        Assert.Equal(breaching ? [AlertEventKind.Firing] : [], evaluation.Notify);
    }

    [Fact]
    public void ForEvaluations_three_goes_pending_pending_firing_with_one_firing_notification()
    {
        var results = Run(Rule(forEvaluations: 3), 11, 12, 13, 14);

        Assert.Equal([AlertState.Pending, AlertState.Pending, AlertState.Firing, AlertState.Firing], results.Select(r => r.Next.Status));
        Assert.Equal([1, 2, 3, 4], results.Select(r => r.Next.Breaches));
        Assert.Equal([AlertEventKind.Firing], results.SelectMany(r => r.Notify));
        Assert.Single(results[2].Notify);
        Assert.Equal(T0 + (2 * Minute), results[2].Next.Since);
        Assert.Equal(T0 + (2 * Minute), results[2].Next.NotifiedAt);
        Assert.Equal(T0, results[1].Next.Since);
    }

    [Fact]
    public void Pending_then_a_good_value_returns_to_ok_without_notifications()
    {
        var results = Run(Rule(forEvaluations: 3), 11, 12, 5);

        Assert.Equal([AlertState.Pending, AlertState.Pending, AlertState.Ok], results.Select(r => r.Next.Status));
        Assert.Equal(0, results[2].Next.Breaches);
        Assert.Empty(results.SelectMany(r => r.Notify));
    }

    [Fact]
    public void Firing_resolves_with_a_resolved_notification_then_goes_ok()
    {
        var results = Run(Rule(), 11, 5, 5);

        Assert.Equal([AlertState.Firing, AlertState.Resolved, AlertState.Ok], results.Select(r => r.Next.Status));
        Assert.Equal([AlertEventKind.Firing], results[0].Notify);
        Assert.Equal([AlertEventKind.Resolved], results[1].Notify);
        Assert.Empty(results[2].Notify);
        Assert.Null(results[1].Next.NotifiedAt);
        Assert.Equal(T0 + (2 * Minute), results[2].Next.Since);
    }

    [Fact]
    public void Without_notifyOnRecovery_resolving_is_silent()
    {
        var results = Run(Rule(notifyOnRecovery: false), 11, 5);

        Assert.Equal(AlertState.Resolved, results[1].Next.Status);
        Assert.Empty(results[1].Notify);
    }

    [Fact]
    public void A_firing_suppressed_by_the_cooldown_does_not_notify_its_recovery_either()
    {
        // firing (notified), resolved, firing again within the cooldown (suppressed), resolved: nothing to recover from.
        var results = Run(Rule(cooldownMinutes: 15), 11, 5, 11, 5);

        Assert.Equal([AlertState.Firing, AlertState.Resolved, AlertState.Firing, AlertState.Resolved], results.Select(r => r.Next.Status));
        Assert.Empty(results[3].Notify);
    }

    [Fact]
    public void Firing_again_within_the_cooldown_is_suppressed()
    {
        var results = Run(Rule(cooldownMinutes: 15), 11, 5, 11);

        Assert.Equal([AlertEventKind.Firing], results[0].Notify);
        Assert.Null(results[0].Suppressed);
        Assert.Equal(AlertState.Firing, results[2].Next.Status);
        Assert.Empty(results[2].Notify);
        Assert.NotNull(results[2].Suppressed);
        Assert.Contains("cooldown", results[2].Suppressed);
        Assert.Null(results[2].Next.NotifiedAt);
        Assert.Equal(T0, results[2].Next.LastFiringNotifiedAt);
    }

    [Fact]
    public void A_firing_held_back_by_the_cooldown_is_notified_when_the_cooldown_ends_if_it_still_fires()
    {
        // Fired and notified at T0, resolved at +1, firing again from +2 (held back) and still at +15, when the cooldown ends.
        var results = Run(Rule(cooldownMinutes: 15), [11, 5, .. Enumerable.Repeat<double?>(11, 15)]);

        var notified = results.Select((r, i) => (r, i)).Where(x => x.r.Notify.Count > 0).Select(x => (x.i, x.r.Notify.Single())).ToList();
        Assert.Equal([(0, AlertEventKind.Firing), (1, AlertEventKind.Resolved), (15, AlertEventKind.Firing)], notified);
        Assert.Equal(T0 + TimeSpan.FromMinutes(15), results[^1].Next.NotifiedAt);
    }

    [Fact]
    public void Firing_again_after_the_cooldown_is_notified()
    {
        var rule = Rule(cooldownMinutes: 15);
        var first = Run(rule, 11, 5);
        // The cooldown counts from the first firing's notification at T0: 15 minutes later is outside it.
        var again = Run(rule, first[^1].Next, T0 + TimeSpan.FromMinutes(15), 11);

        Assert.Equal([AlertEventKind.Firing], again[0].Notify);
        Assert.Null(again[0].Suppressed);
        Assert.Equal(T0 + TimeSpan.FromMinutes(15), again[0].Next.LastFiringNotifiedAt);

        // One minute earlier it is still inside.
        var early = Run(rule, first[^1].Next, T0 + TimeSpan.FromMinutes(14), 11);
        Assert.Empty(early[0].Notify);
        Assert.NotNull(early[0].Suppressed);
    }

    [Fact]
    public void Renotify_repeats_once_per_period_while_firing()
    {
        // Firing at T0, then breaching every minute for 25 minutes with renotifyMinutes 10: renotified at +10 and +20 only.
        var results = Run(Rule(renotifyMinutes: 10), Enumerable.Repeat<double?>(11, 26).ToArray());

        var renotified = results.Select((r, i) => (r, i)).Where(x => x.r.Notify.Contains(AlertEventKind.Renotify)).Select(x => x.i).ToList();
        Assert.Equal([10, 20], renotified);
        Assert.Equal([AlertEventKind.Firing], results[0].Notify);
        Assert.All(results.Skip(1), r => Assert.DoesNotContain(AlertEventKind.Firing, r.Notify));
        Assert.Equal(T0 + TimeSpan.FromMinutes(20), results[^1].Next.NotifiedAt);
        Assert.Equal(AlertState.Firing, results[^1].Next.Status);
    }

    [Fact]
    public void Without_renotifyMinutes_a_long_firing_is_notified_once()
    {
        var results = Run(Rule(), Enumerable.Repeat<double?>(11, 120).ToArray());

        Assert.Equal([AlertEventKind.Firing], results.SelectMany(r => r.Notify));
    }

    [Fact]
    public void No_data_with_noData_ok_is_not_breaching_so_a_firing_resolves()
    {
        var results = Run(Rule(noData: "ok"), 11, null);

        Assert.False(results[1].Breaching);
        Assert.True(results[1].NoData);
        Assert.Equal(AlertState.Resolved, results[1].Next.Status);
        Assert.Equal([AlertEventKind.Resolved], results[1].Notify);
    }

    [Fact]
    public void No_data_with_noData_alert_is_breaching()
    {
        var results = Run(Rule(noData: "alert", forEvaluations: 2), null, null);

        Assert.All(results, r => Assert.True(r.Breaching));
        Assert.All(results, r => Assert.True(r.NoData));
        Assert.Equal([AlertState.Pending, AlertState.Firing], results.Select(r => r.Next.Status));
        Assert.Equal([AlertEventKind.Firing], results[1].Notify);
    }

    [Theory]
    [InlineData(new double[] { 11 }, "firing")]
    [InlineData(new double[] { 11, 11 }, "pending")]
    [InlineData(new double[0], "ok")]
    public void No_data_with_noData_keep_changes_nothing(double[] before, string expectedStatus)
    {
        var rule = Rule(noData: "keep", forEvaluations: before.Length == 2 ? 3 : 1);
        var history = Run(rule, before.Select(v => (double?)v).ToArray());
        var state = history.Count == 0 ? NewState() : history[^1].Next;
        Assert.Equal(expectedStatus, state.Status);

        var kept = Run(rule, state, T0 + TimeSpan.FromMinutes(30), null, null);

        Assert.All(kept, k => Assert.Equal(state.Status, k.Next.Status));
        Assert.All(kept, k => Assert.Equal(state.Breaches, k.Next.Breaches));
        Assert.All(kept, k => Assert.Equal(state.Since, k.Next.Since));
        Assert.All(kept, k => Assert.Equal(state.NotifiedAt, k.Next.NotifiedAt));
        Assert.All(kept, k => Assert.Empty(k.Notify));
        Assert.All(kept, k => Assert.True(k.NoData));
        Assert.Equal(T0 + TimeSpan.FromMinutes(31), kept[^1].Next.LastEvaluatedAt);
        Assert.Equal(expectedStatus is "firing" or "pending", kept[0].Breaching);
    }

    [Fact]
    public void Increase_pct_is_the_change_against_the_baseline_in_percent()
    {
        var reading = new AlertReading(150, 10, Baseline: 100);

        var at40 = AlertEvaluator.Evaluate(Rule("increase_pct", threshold: 40), NewState(), reading, T0);
        var at60 = AlertEvaluator.Evaluate(Rule("increase_pct", threshold: 60), NewState(), reading, T0);

        Assert.Equal(50, at40.Value!.Value, 9);
        Assert.True(at40.Breaching);
        Assert.Equal(AlertState.Firing, at40.Next.Status);
        Assert.Equal(50, at60.Value!.Value, 9);
        Assert.False(at60.Breaching);
        Assert.Equal(AlertState.Ok, at60.Next.Status);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(null)]
    public void Increase_pct_without_a_baseline_above_zero_is_no_data(double? baseline)
    {
        var rule = Rule("increase_pct", threshold: 40, noData: "alert");

        var evaluation = AlertEvaluator.Evaluate(rule, NewState(), new AlertReading(150, 10, baseline), T0);

        Assert.Null(AlertEvaluator.ValueOf(rule, new AlertReading(150, 10, baseline)));
        Assert.Null(evaluation.Value);
        Assert.True(evaluation.NoData);
        // noData alert: the missing baseline counts as breaching, which proves it was read as no data.
        Assert.True(evaluation.Breaching);
    }

    [Fact]
    public void Warning_notifies_once_per_crossing()
    {
        // threshold 10, warning 8: 9 is a warning, 5 is fine.
        var results = Run(Rule(warning: 8), 9, 9, 9, 5, 9);

        Assert.Equal([AlertEventKind.Warning], results[0].Notify);
        Assert.True(results[0].Next.Warning);
        Assert.Equal(AlertState.Ok, results[0].Next.Status);
        Assert.Empty(results[1].Notify);
        Assert.Empty(results[2].Notify);
        Assert.False(results[3].Next.Warning);
        Assert.Empty(results[3].Notify);
        Assert.Equal([AlertEventKind.Warning], results[4].Notify);
    }

    [Fact]
    public void Warning_re_entered_within_the_cooldown_is_suppressed()
    {
        var results = Run(Rule(warning: 8, cooldownMinutes: 15), 9, 5, 9);

        Assert.Equal([AlertEventKind.Warning], results[0].Notify);
        Assert.Empty(results[2].Notify);
        Assert.NotNull(results[2].Suppressed);
        Assert.True(results[2].Next.Warning);
        Assert.Equal(T0, results[2].Next.LastWarningNotifiedAt);
    }

    [Fact]
    public void Warning_is_never_notified_while_firing()
    {
        // Breaching values are above the warning too; only Firing is sent and the warning flag stays off.
        var results = Run(Rule(warning: 8), 11, 12, 13);

        Assert.Equal([AlertEventKind.Firing], results.SelectMany(r => r.Notify));
        Assert.All(results, r => Assert.False(r.Next.Warning));
    }

    [Fact]
    public void Warning_threshold_of_lt_works_downwards()
    {
        // lt 10 with warning 12: 11 is a warning, 9 fires, 13 is fine.
        var results = Run(Rule("lt", threshold: 10, warning: 12), 13, 11, 9);

        Assert.Empty(results[0].Notify);
        Assert.Equal([AlertEventKind.Warning], results[1].Notify);
        Assert.Equal([AlertEventKind.Firing], results[2].Notify);
    }

    [Fact]
    public void Unknown_comparator_throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AlertEvaluator.Crosses("eq", 1, 1));
    }
}
