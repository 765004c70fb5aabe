using Azure;
using Azure.Data.Tables;
using Twin.Observability.Alerts;
using Twin.Observability.Common;
using Twin.Observability.Storage;
using Twin.Testing;
using Xunit;

namespace Twin.Observability.Tests.Alerts.Rules;

[Collection(AzuriteCollection.Name)]
public sealed class AlertStoresTests
{
    private static readonly DateTimeOffset Day1 = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Day2 = Day1.AddDays(1);

    private static async Task<TableServiceClient> TablesAsync()
    {
        var tables = new TableServiceClient(AzuriteFixture.NewAccountConnectionString());
        foreach (var name in new[] { StorageNames.Tables.AlertRules, StorageNames.Tables.AlertStates, StorageNames.Tables.AlertHistory })
        {
            await tables.GetTableClient(name).CreateIfNotExistsAsync();
        }

        return tables;
    }

    private static AlertHistoryEntry Entry(DateTimeOffset at, string ruleId = "rule-1", string? label = null) => new()
    {
        Id = AlertHistoryStore.NewId(at),
        At = at,
        Kind = "transition",
        RuleId = ruleId,
        RuleName = label ?? $"{ruleId}@{at:O}",
        From = AlertState.Ok,
        To = AlertState.Firing,
        Value = 12.5,
        Threshold = 10,
    };

    private static async Task<List<AlertHistoryEntry>> AllPagesAsync(AlertHistoryStore store, DateTimeOffset from, DateTimeOffset to, string? ruleId, int limit)
    {
        var all = new List<AlertHistoryEntry>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await store.ListAsync(from, to, ruleId, new PageRequest(limit, token), default);
            Assert.True(page.Items.Count <= limit, $"a page of {page.Items.Count} for a limit of {limit}");
            all.AddRange(page.Items);
            token = page.ContinuationToken;
            Assert.True(++pages < 100, "paging does not end");
        }
        while (token is not null);

        return all;
    }

    [Fact]
    public async Task History_lists_newest_first_across_days_within_from_inclusive_to_exclusive()
    {
        var store = new AlertHistoryStore(await TablesAsync());
        var from = Day1.AddHours(12);
        var to = Day2.AddHours(10);
        var entries = new[]
        {
            Entry(Day1.AddHours(8)),                  // before from
            Entry(from),                              // exactly at from: included
            Entry(Day1.AddHours(20)),
            Entry(Day1.AddDays(1).AddTicks(-1)),      // the last tick of day 1
            Entry(Day2),                              // midnight of day 2
            Entry(Day2.AddHours(3)),
            Entry(Day2.AddHours(9), ruleId: "rule-2"),
            Entry(to.AddTicks(-1)),                   // just before to
            Entry(to),                                // exactly at to: excluded
            Entry(Day2.AddHours(11)),                 // after to
        };
        await store.AddAsync(entries.Reverse(), default);

        var listed = (await store.ListAsync(from, to, null, new PageRequest(100, null), default)).Items;

        var expected = entries[1..8].Reverse().Select(e => e.Id).ToList();
        Assert.Equal(expected, listed.Select(e => e.Id));
        var first = listed[0];
        Assert.Equal(entries[7] with { }, first);
    }

    [Fact]
    public async Task History_filters_by_rule()
    {
        var store = new AlertHistoryStore(await TablesAsync());
        var entries = Enumerable.Range(0, 12).Select(i => Entry(Day1.AddHours(18 + i), ruleId: i % 3 == 0 ? "other" : "rule-1")).ToList();
        await store.AddAsync(entries, default);

        var listed = await AllPagesAsync(store, Day1, Day2.AddDays(1), "rule-1", 100);

        Assert.Equal(entries.Where(e => e.RuleId == "rule-1").Reverse().Select(e => e.Id), listed.Select(e => e.Id));
    }

    [Theory]
    [InlineData(null, 3)]
    [InlineData("rule-1", 2)]
    public async Task History_pages_with_continuation_tokens_without_duplicates(string? ruleId, int limit)
    {
        var store = new AlertHistoryStore(await TablesAsync());
        // 30 entries every 97 minutes: they span three days.
        var entries = Enumerable.Range(0, 30).Select(i => Entry(Day1.AddHours(6).AddMinutes(97 * i), ruleId: i % 4 == 0 ? "other" : "rule-1")).ToList();
        await store.AddAsync(entries, default);
        var from = entries[2].At;
        var to = entries[27].At;

        var listed = await AllPagesAsync(store, from, to, ruleId, limit);

        var expected = entries.Where(e => e.At >= from && e.At < to && (ruleId is null || e.RuleId == ruleId)).Reverse().Select(e => e.Id).ToList();
        Assert.Equal(expected, listed.Select(e => e.Id));
        Assert.Equal(listed.Count, listed.Select(e => e.Id).Distinct().Count());
    }

    [Fact]
    public async Task History_round_trips_a_notification_entry()
    {
        var store = new AlertHistoryStore(await TablesAsync());
        var at = Day1.AddHours(5).AddMilliseconds(123);
        var entry = new AlertHistoryEntry
        {
            Id = AlertHistoryStore.NewId(at),
            At = at,
            Kind = "notification",
            RuleId = "rule-1",
            RuleName = "Slow",
            Event = "firing",
            NotificationId = "rule-1-1-firing",
            Channel = "slack",
            Target = "https://hooks.slack.com/services/T0/B0/***",
            Delivered = false,
            Attempts = 3,
            StatusCode = 503,
            Detail = "Service Unavailable",
        };
        await store.AddAsync([entry], default);

        var listed = Assert.Single((await store.ListAsync(Day1, Day2, null, new PageRequest(10, null), default)).Items);

        Assert.Equal(entry, listed);
    }

    [Fact]
    public async Task State_claims_of_a_new_row_from_one_read_let_exactly_one_win()
    {
        var store = new AlertStateStore(await TablesAsync());
        var read = await store.GetAsync("rule-1", default);
        Assert.Null(read.ETag);
        Assert.Equal(AlertState.Ok, read.Status);

        var a = read with { Status = AlertState.Firing, Breaches = 1 };
        var b = read with { Status = AlertState.Pending, Breaches = 7 };
        var claims = await Task.WhenAll(store.TryClaimAsync(read, a, default), store.TryClaimAsync(read, b, default));

        Assert.Single(claims, c => c);
        var stored = await store.GetAsync("rule-1", default);
        var winner = claims[0] ? a : b;
        Assert.Equal((winner.Status, winner.Breaches), (stored.Status, stored.Breaches));
    }

    [Fact]
    public async Task State_claims_of_an_existing_row_from_one_read_let_exactly_one_win()
    {
        var store = new AlertStateStore(await TablesAsync());
        Assert.True(await store.TryClaimAsync(await store.GetAsync("rule-1", default), new AlertState { RuleId = "rule-1", Status = AlertState.Pending, Breaches = 1 }, default));
        var read = await store.GetAsync("rule-1", default);
        Assert.NotNull(read.ETag);

        var a = read with { Status = AlertState.Firing, Breaches = 2 };
        var b = read with { Status = AlertState.Ok, Breaches = 0 };
        var claims = await Task.WhenAll(store.TryClaimAsync(read, a, default), store.TryClaimAsync(read, b, default));

        Assert.Single(claims, c => c);
        var stored = await store.GetAsync("rule-1", default);
        var winner = claims[0] ? a : b;
        Assert.Equal((winner.Status, winner.Breaches), (stored.Status, stored.Breaches));

        // The stale read loses again, sequentially too.
        Assert.False(await store.TryClaimAsync(read, read with { Status = AlertState.Resolved }, default));
    }

    [Fact]
    public async Task State_round_trips_every_field()
    {
        var store = new AlertStateStore(await TablesAsync());
        var state = new AlertState
        {
            RuleId = "rule-9",
            Status = AlertState.Firing,
            Breaches = 4,
            Warning = true,
            LastValue = 0.125,
            LastEvaluatedAt = Day1.AddMinutes(10),
            Since = Day1.AddMinutes(7),
            NotifiedAt = Day1.AddMinutes(8),
            LastFiringNotifiedAt = Day1.AddMinutes(8),
            LastWarningNotifiedAt = Day1.AddMinutes(2),
        };
        Assert.True(await store.TryClaimAsync(new AlertState { RuleId = "rule-9" }, state, default));

        var read = await store.GetAsync("rule-9", default);

        Assert.NotNull(read.ETag);
        Assert.Equal(state, read with { ETag = null });
        Assert.Equal([state], (await store.AllAsync(default)).Select(s => s with { ETag = null }));
    }

    [Fact]
    public async Task Rule_round_trips_every_field_including_channels()
    {
        var store = new AlertRuleStore(await TablesAsync());
        var rule = new AlertRule
        {
            Id = "r-all",
            Name = "Everything set",
            Metric = "avg_score:helpfulness",
            TwinId = "demo",
            WindowMinutes = 30,
            Comparator = "increase_pct",
            Threshold = 42.5,
            WarningThreshold = 20.25,
            Baseline = "week",
            ForEvaluations = 3,
            CooldownMinutes = 45,
            RenotifyMinutes = 120,
            NotifyOnRecovery = false,
            NoData = "keep",
            Severity = "critical",
            StoredChannels =
            [
                new StoredAlertChannel("slack", "https://hooks.slack.com/services/T0/B0/TOKEN", null, null),
                new StoredAlertChannel("webhook", "https://example.com/hook?x=1", "v1.bm9uY2U.dGFn.Y2lwaGVy", null),
                new StoredAlertChannel("pagerduty", "https://events.pagerduty.com/v2/enqueue", null, "PD_ROUTING_KEY"),
            ],
            Enabled = false,
            CreatedAt = Day1.AddMinutes(1).AddMilliseconds(250),
            UpdatedAt = Day1.AddMinutes(2).AddMilliseconds(500),
        };

        var added = await store.AddAsync(rule, default);
        var found = await store.FindAsync("r-all", default);

        Assert.NotNull(found);
        Assert.NotNull(found.ETag);
        Assert.Equal(added.ETag, found.ETag);
        Assert.Equal(rule, found with { ETag = null, StoredChannels = rule.StoredChannels });
        Assert.Equal(rule.StoredChannels, found.StoredChannels);
        Assert.Equal(rule.Channels, found.Channels);
    }

    [Fact]
    public async Task Rule_with_nulls_round_trips_them_as_nulls()
    {
        var store = new AlertRuleStore(await TablesAsync());
        var rule = new AlertRule
        {
            Id = "r-min",
            Name = "Minimal",
            Metric = "error_rate",
            WindowMinutes = 5,
            Comparator = "gt",
            Threshold = 0.05,
            ForEvaluations = 1,
            CooldownMinutes = 15,
            NotifyOnRecovery = true,
            NoData = "ok",
            Severity = "warning",
            Enabled = true,
            CreatedAt = Day1,
            UpdatedAt = Day1,
        };
        await store.AddAsync(rule, default);

        var found = await store.FindAsync("r-min", default);

        Assert.NotNull(found);
        Assert.Equal(rule, found with { ETag = null, StoredChannels = rule.StoredChannels });
        Assert.Empty(found.StoredChannels);
        Assert.Null(found.TwinId);
        Assert.Null(found.WarningThreshold);
        Assert.Null(found.RenotifyMinutes);
        Assert.Null(found.Baseline);
    }

    [Fact]
    public async Task Rule_replace_with_a_stale_etag_is_refused()
    {
        var store = new AlertRuleStore(await TablesAsync());
        var added = await store.AddAsync(new AlertRule
        {
            Id = "r-etag", Name = "n", Metric = "error_rate", WindowMinutes = 5, Comparator = "gt", Threshold = 0.1, ForEvaluations = 1,
            CooldownMinutes = 15, NotifyOnRecovery = true, NoData = "ok", Severity = "info", Enabled = true,
        }, default);
        var replaced = await store.ReplaceAsync(added with { Name = "n2" }, new ETag(added.ETag!), default);

        await Assert.ThrowsAsync<PreconditionFailedException>(() => store.ReplaceAsync(added with { Name = "n3" }, new ETag(added.ETag!), default));
        Assert.Equal("n2", (await store.FindAsync("r-etag", default))!.Name);
        Assert.NotEqual(added.ETag, replaced.ETag);
    }
}
