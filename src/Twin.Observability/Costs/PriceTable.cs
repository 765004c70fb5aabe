using System.Globalization;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Twin.Observability.Common;
using Twin.Observability.Llm;
using Twin.Observability.Storage;

namespace Twin.Observability.Costs;

/// <summary>
/// The <c>Prices</c> table: every price a model has had, with the moment it took effect, seeded from
/// <c>Llm:Prices</c> (a configured price that differs from the model's latest row becomes a new row, effective from
/// its <c>EffectiveFrom</c>, else from now; a model's first price from always), so usage is priced at what the model cost when it was used. Read through a
/// short cache: the table is small and changes only at deployments.
/// </summary>
public sealed class PriceTable(TableServiceClient tables, IOptions<LlmOptions> llm, TimeProvider time) : IDisposable
{
    public const string ConfigurationSource = "configuration";

    private const string Partition = "price";
    private static readonly DateTimeOffset FirstPriceFrom = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    private readonly TableStore<TableEntity> _store = new(tables.GetTableClient(StorageNames.Tables.Prices));
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile Snapshot? _cache;
    private bool _seeded;

    public void Dispose() => _gate.Dispose();

    /// <summary>Every price, by model then effective date.</summary>
    public async Task<IReadOnlyList<PriceEntry>> ListAsync(CancellationToken cancellationToken)
    {
        if (_cache is { } cache && time.GetUtcNow() - cache.LoadedAt < CacheFor)
        {
            return cache.Entries;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_seeded)
            {
                await SeedAsync(await LoadAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                _seeded = true;
            }

            var entries = await LoadAsync(cancellationToken).ConfigureAwait(false);
            _cache = new Snapshot(entries, time.GetUtcNow());
            return entries;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The price in effect for <paramref name="model"/> at <paramref name="at"/>: the model's own or a dated or
    /// versioned name's (<see cref="ModelNames"/>); the offline model is free; null when none was in effect.
    /// </summary>
    public async Task<PriceEntry?> PriceAtAsync(string model, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (model == OfflineChatClient.ModelId)
        {
            return new PriceEntry(model, DateTimeOffset.MinValue, 0, 0, null, "built-in");
        }

        var effective = (await ListAsync(cancellationToken).ConfigureAwait(false)).Where(p => p.EffectiveFrom <= at).ToList();
        return ModelNames.Resolve(model, effective.Select(p => p.Model).Distinct(StringComparer.OrdinalIgnoreCase)) is { } name
            ? effective.Where(p => p.Model.Equals(name, StringComparison.OrdinalIgnoreCase)).MaxBy(p => p.EffectiveFrom)
            : null;
    }

    private async Task SeedAsync(IReadOnlyList<PriceEntry> existing, CancellationToken cancellationToken)
    {
        foreach (var (model, configured) in llm.Value.Prices)
        {
            var latest = existing.Where(p => p.Model.Equals(model, StringComparison.OrdinalIgnoreCase)).MaxBy(p => p.EffectiveFrom);
            if (latest is not null
                && latest.InputPerMillionUsd == configured.InputPerMillionUsd
                && latest.OutputPerMillionUsd == configured.OutputPerMillionUsd
                && latest.CachedInputPerMillionUsd == configured.CachedInputPerMillionUsd)
            {
                continue;
            }

            // A model's first price covers its earlier usage too (there was no other); a changed price starts now.
            var from = configured.EffectiveFrom ?? (latest is null ? FirstPriceFrom : TruncateToSecond(time.GetUtcNow()));
            var entry = new PriceEntry(model, from, configured.InputPerMillionUsd, configured.OutputPerMillionUsd, configured.CachedInputPerMillionUsd, ConfigurationSource);
            try
            {
                await _store.AddAsync(ToEntity(entry), cancellationToken).ConfigureAwait(false);
            }
            catch (ResourceConflictException)
            {
                // Another instance seeded the same price at the same second: the row is what this one would write.
            }
        }
    }

    private async Task<IReadOnlyList<PriceEntry>> LoadAsync(CancellationToken cancellationToken)
    {
        var entries = new List<PriceEntry>();
        await foreach (var entity in _store.QueryAllAsync($"PartitionKey eq {Partition}", cancellationToken).ConfigureAwait(false))
        {
            entries.Add(new PriceEntry(
                entity.GetString("Model") ?? "",
                entity.GetDateTimeOffset("EffectiveFrom") ?? DateTimeOffset.MinValue,
                Decimal(entity, "InputPerMillionUsd") ?? 0,
                Decimal(entity, "OutputPerMillionUsd") ?? 0,
                Decimal(entity, "CachedInputPerMillionUsd"),
                entity.GetString("Source") ?? ConfigurationSource));
        }

        return entries.OrderBy(e => e.Model, StringComparer.OrdinalIgnoreCase).ThenBy(e => e.EffectiveFrom).ToList();
    }

    // Prices are kept as decimal strings: Table storage has no decimal, and a double would turn 0.15 into 0.1499….
    private static decimal? Decimal(TableEntity entity, string name) =>
        entity.GetString(name) is { } text ? decimal.Parse(text, CultureInfo.InvariantCulture) : null;

    private static TableEntity ToEntity(PriceEntry entry) => new(Partition, $"{Uri.EscapeDataString(entry.Model.ToLowerInvariant())}|{entry.EffectiveFrom.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)}")
    {
        ["Model"] = entry.Model,
        ["EffectiveFrom"] = entry.EffectiveFrom,
        ["InputPerMillionUsd"] = entry.InputPerMillionUsd.ToString(CultureInfo.InvariantCulture),
        ["OutputPerMillionUsd"] = entry.OutputPerMillionUsd.ToString(CultureInfo.InvariantCulture),
        ["CachedInputPerMillionUsd"] = entry.CachedInputPerMillionUsd?.ToString(CultureInfo.InvariantCulture),
        ["Source"] = entry.Source,
    };

    private sealed record Snapshot(IReadOnlyList<PriceEntry> Entries, DateTimeOffset LoadedAt);

    private static DateTimeOffset TruncateToSecond(DateTimeOffset at) => new(at.Ticks - (at.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}
