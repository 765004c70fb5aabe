using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Twin.Observability.Chat;
using Twin.Observability.Common;
using Twin.Observability.Costs;
using Twin.Observability.Langfuse;
using Twin.Observability.Ledger;
using Twin.Observability.Llm;
using Twin.Observability.Metrics;
using Twin.Observability.Storage;
using Twin.Testing;
using Xunit;

namespace Twin.Observability.Tests.Costs;

[Collection(AzuriteCollection.Name)]
public sealed class CostTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 10, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Prices_are_seeded_from_configuration_and_a_changed_price_applies_from_its_date_while_earlier_usage_keeps_the_old_one()
    {
        var tables = await StorageAsync();
        var clock = new FakeTimeProvider(Start);
        var v1 = new PriceTable(tables, Llm(("gpt-acc", 2m, 8m, 1m, null)), clock);
        await v1.ListAsync(default);
        var changedAt = Start.AddDays(3);
        var v2 = new PriceTable(tables, Llm(("gpt-acc", 3m, 9m, null, changedAt), ("other-model", 1m, 1m, null, Start)), clock);

        var listed = await v2.ListAsync(default);
        var before = await v2.PriceAtAsync("gpt-acc-2026-06-01", Start.AddDays(1), default);
        var after = await v2.PriceAtAsync("gpt-acc", Start.AddDays(4), default);

        Assert.Equal(["gpt-acc@2", "gpt-acc@3", "other-model@1"], listed.Select(p => $"{p.Model}@{p.InputPerMillionUsd}"));
        Assert.Equal((2m, 8m, 1m), (before!.InputPerMillionUsd, before.OutputPerMillionUsd, before.CachedInputPerMillionUsd));
        Assert.NotNull(await v2.PriceAtAsync("gpt-acc", Start.AddYears(-3), default));
        Assert.Equal((3m, changedAt), (after!.InputPerMillionUsd, after.EffectiveFrom));
        Assert.Null(await v2.PriceAtAsync("gpt-acc-mini", Start.AddDays(4), default));
        Assert.Null(await v2.PriceAtAsync("other-model", Start.AddDays(-1), default));
        Assert.Equal(0m, (await v2.PriceAtAsync(OfflineChatClient.ModelId, Start, default))!.OutputPerMillionUsd);
        // Seeding again with the same configuration adds nothing.
        Assert.Equal(3, (await new PriceTable(tables, Llm(("gpt-acc", 3m, 9m, null, changedAt), ("other-model", 1m, 1m, null, Start)), clock).ListAsync(default)).Count);
    }

    [Fact]
    public async Task Tracked_usage_is_priced_at_its_time_written_once_per_idempotency_key_and_counted_in_costs()
    {
        var tables = await StorageAsync();
        var clock = new FakeTimeProvider(Start.AddDays(1));
        var ledger = new LedgerStore(tables, Options.Create(new LedgerOptions()));
        var prices = new PriceTable(tables, Llm(("gpt-acc", 2m, 8m, 1m, null)), clock);
        var tracker = new CostTracker(tables, ledger, new DirtyMinuteStore(tables, new RollupWatermarkStore(tables)), prices, Options.Create(new TwinChatOptions()), Options.Create(new LangfuseOptions { Environment = "test" }), clock);
        var request = new TrackUsageRequest { Model = "gpt-acc-2026-06-01", InputTokens = 1_000_000, CachedInputTokens = 500_000, OutputTokens = 250_000, TwinId = "demo", IdempotencyKey = "batch-42", Timestamp = Start.AddHours(3) };

        var first = await tracker.TrackAsync(request, default);
        var again = await tracker.TrackAsync(request with { OutputTokens = 1 }, default);
        var other = await tracker.TrackAsync(request with { IdempotencyKey = null, Model = "unpriced-model" }, default);

        // 0.5 M uncached at 2 + 0.5 M cached at 1 + 0.25 M output at 8 = 1 + 0.5 + 2.
        Assert.Equal(3.5m, first.CostUsd);
        Assert.Equal(("gpt-acc", false), (first.PricedAs, first.Duplicate));
        Assert.Equal(first with { Duplicate = true }, again);
        Assert.Null(other.CostUsd);
        var rows = new List<LedgerEntry>();
        await foreach (var entity in ledger.RowsBetweenAsync(Start, Start.AddDays(1), null, default))
        {
            rows.Add(LedgerRows.ToEntry(entity));
        }

        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal((CostTracker.Endpoint, "demo", "test"), (r.Endpoint, r.TwinId, r.Environment)));
        Assert.Equal(first.TraceId, rows.Single(r => r.Model == "gpt-acc-2026-06-01").TraceId);

        var costs = new CostService(
            new MetricsQuery(new RollupStore(tables), new RollupWatermarkStore(tables), ledger),
            prices,
            Options.Create(new CostOptions { Budgets = new() { ["demo"] = 4m, ["idle"] = 10m }, BudgetWarningPercent = 80 }),
            new FakeTimeProvider(Start.AddDays(1)));
        var range = new MetricsRange(Start, Start.AddDays(1), null, RollupGranularity.Day);
        var byModel = await costs.SummaryAsync(range, "model", default);
        var byDay = await costs.SummaryAsync(range, "day", default);
        var models = await costs.ModelsAsync(range, default);

        Assert.Equal(3.5, byModel.CostUsd);
        Assert.Equal(["gpt-acc-2026-06-01", "unpriced-model"], byModel.Groups.Select(g => g.Key));
        Assert.Equal((3.5, 2L), (byDay.CostUsd, byDay.Requests));
        Assert.Equal([("demo", "warning", 87.5), ("idle", "ok", 0.0)], byModel.Budgets.Select(b => (b.TwinId, b.Status, b.PercentUsed)));
        Assert.Equal("gpt-acc", Assert.Single(models.Prices).Model);
        Assert.Equal(2, models.Models.Count);
    }

    [Theory]
    [InlineData(null, 1L, 1L, null, null, "model")]
    [InlineData("m", -1L, 1L, null, null, "inputTokens")]
    [InlineData("m", 1L, null, null, null, "outputTokens")]
    [InlineData("m", 1L, 1L, "Not A Twin", null, "twinId")]
    [InlineData("m", 1L, 1L, null, "xyz", "traceId")]
    public async Task Bad_usage_is_refused_naming_the_field(string? model, long? input, long? output, string? twinId, string? traceId, string field)
    {
        var tables = await StorageAsync();
        var clock = new FakeTimeProvider(Start);
        var tracker = new CostTracker(tables, new LedgerStore(tables, Options.Create(new LedgerOptions())), new DirtyMinuteStore(tables, new RollupWatermarkStore(tables)), new PriceTable(tables, Llm(), clock), Options.Create(new TwinChatOptions()), Options.Create(new LangfuseOptions()), clock);

        var error = await Assert.ThrowsAsync<RequestValidationException>(() => tracker.TrackAsync(new TrackUsageRequest { Model = model, InputTokens = input, OutputTokens = output, TwinId = twinId, TraceId = traceId }, default));

        Assert.Contains(field, error.Errors.Keys);
    }

    private static IOptions<LlmOptions> Llm(params (string Model, decimal Input, decimal Output, decimal? Cached, DateTimeOffset? From)[] prices)
    {
        var options = new LlmOptions();
        foreach (var (model, input, output, cached, from) in prices)
        {
            options.Prices[model] = new ModelPriceOptions { InputPerMillionUsd = input, OutputPerMillionUsd = output, CachedInputPerMillionUsd = cached, EffectiveFrom = from };
        }

        return Options.Create(options);
    }

    private static async Task<TableServiceClient> StorageAsync()
    {
        var connection = AzuriteFixture.NewAccountConnectionString();
        var tables = new TableServiceClient(connection);
        foreach (var name in new[] { StorageNames.Tables.Ledger, StorageNames.Tables.Prices, StorageNames.Tables.Costs, StorageNames.Tables.Settings, StorageNames.Tables.DirtyMinutes }.Concat(RollupKeys.Tables))
        {
            await tables.GetTableClient(name).CreateIfNotExistsAsync();
        }

        return tables;
    }
}
