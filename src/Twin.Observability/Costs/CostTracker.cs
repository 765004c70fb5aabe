using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Twin.Observability.Chat;
using Twin.Observability.Common;
using Twin.Observability.Langfuse;
using Twin.Observability.Ledger;
using Twin.Observability.Metrics;
using Twin.Observability.Storage;
using Twin.Observability.Tracing;
using Twin.Observability.Twins;

namespace Twin.Observability.Costs;

/// <summary>
/// Records usage from outside the chat as ledger rows (endpoint <c>external</c>), priced from the price table at the
/// usage's time, so costs and metrics count it like chats. An idempotency key is claimed in the <c>Costs</c> table
/// before the ledger row is written, with the whole record: a repeat returns the first record and writes its ledger
/// row again (an upsert of the same row), so a call that failed half-way is completed by its retry.
/// </summary>
public sealed class CostTracker(
    TableServiceClient tables,
    LedgerStore ledger,
    DirtyMinuteStore dirtyMinutes,
    PriceTable prices,
    IOptions<TwinChatOptions> chat,
    IOptions<LangfuseOptions> langfuse,
    TimeProvider time)
{
    public const string Endpoint = "external";

    private const string IdempotencyPartition = "track";
    private const long MaxTokens = 10_000_000_000;
    private const int MaxModelLength = 256;
    private const int MaxKeyLength = 256;

    private readonly TableStore<TableEntity> _claims = new(tables.GetTableClient(StorageNames.Tables.Costs));

    public async Task<TrackedUsage> TrackAsync(TrackUsageRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = time.GetUtcNow();
        var (model, input, output, cached, twinId, traceId, key, at) = Validate(request, now);
        var claimKey = key is null ? null : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..40];
        if (claimKey is not null && await _claims.FindAsync(IdempotencyPartition, claimKey, cancellationToken).ConfigureAwait(false) is { } seen)
        {
            return await RepeatAsync(seen, cancellationToken).ConfigureAwait(false);
        }

        var price = await prices.PriceAtAsync(model, at, cancellationToken).ConfigureAwait(false);
        var usage = new TrackedUsage(
            traceId ?? ActivityTraceId.CreateRandom().ToHexString(),
            claimKey?[..16] ?? ActivitySpanId.CreateRandom().ToHexString(),
            at,
            model,
            twinId,
            input,
            output,
            cached,
            price?.Price.CostOf(new TokenUsage(input, output, cached)).Total,
            price?.Model,
            Duplicate: false);
        if (claimKey is not null)
        {
            try
            {
                await _claims.AddAsync(new TableEntity(IdempotencyPartition, claimKey) { ["Usage"] = JsonSerializer.Serialize(usage) }, cancellationToken).ConfigureAwait(false);
            }
            catch (ResourceConflictException)
            {
                // A concurrent call with the same key claimed it first: its record is the one.
                return await RepeatAsync((await _claims.FindAsync(IdempotencyPartition, claimKey, cancellationToken).ConfigureAwait(false))!, cancellationToken).ConfigureAwait(false);
            }
        }

        await WriteAsync(usage, cancellationToken).ConfigureAwait(false);
        return usage;
    }

    // Usage may be dated in a minute the metrics rollup has already closed: the mark makes it recompute that minute.
    private async Task WriteAsync(TrackedUsage usage, CancellationToken cancellationToken)
    {
        await ledger.WriteAsync(EntryOf(usage), cancellationToken).ConfigureAwait(false);
        await dirtyMinutes.MarkIfRolledUpAsync(usage.Timestamp, cancellationToken).ConfigureAwait(false);
    }

    private async Task<TrackedUsage> RepeatAsync(TableEntity claim, CancellationToken cancellationToken)
    {
        var first = JsonSerializer.Deserialize<TrackedUsage>(claim.GetString("Usage") ?? "null")
            ?? throw new InvalidOperationException($"The idempotency record {claim.RowKey} is empty.");
        await WriteAsync(first, cancellationToken).ConfigureAwait(false);
        return first with { Duplicate = true };
    }

    private LedgerEntry EntryOf(TrackedUsage usage) => new()
    {
        TraceId = usage.TraceId,
        ObservationId = usage.ObservationId,
        TwinId = usage.TwinId ?? "",
        Endpoint = Endpoint,
        Environment = string.IsNullOrWhiteSpace(chat.Value.Environment) ? langfuse.Value.Environment : chat.Value.Environment,
        Timestamp = usage.Timestamp,
        Model = usage.Model,
        InputTokens = usage.InputTokens,
        OutputTokens = usage.OutputTokens,
        CostUsd = usage.CostUsd,
        Status = "ok",
        HttpStatus = 200,
    };

    private static (string Model, long Input, long Output, long Cached, string? TwinId, string? TraceId, string? Key, DateTimeOffset At) Validate(TrackUsageRequest request, DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        var model = request.Model?.Trim();
        if (string.IsNullOrEmpty(model))
        {
            errors.Add("model", "is required.");
        }
        else if (model.Length > MaxModelLength || model.Any(char.IsControl))
        {
            errors.Add("model", $"must be at most {MaxModelLength} characters, without control characters.");
        }

        var input = Tokens(request.InputTokens, "inputTokens", required: true, errors);
        var output = Tokens(request.OutputTokens, "outputTokens", required: true, errors);
        var cached = Tokens(request.CachedInputTokens, "cachedInputTokens", required: false, errors);
        if (cached > input)
        {
            errors.Add("cachedInputTokens", "cannot be more than inputTokens.");
        }

        if (request.TwinId is { } twin && !TwinValidator.IsValidId(twin))
        {
            errors.Add("twinId", "must be a twin id: lowercase letters, digits and hyphens, at most 63 characters.");
        }

        var traceId = request.TraceId?.Trim().Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
        if (traceId is not null && (traceId.Length != 32 || !traceId.All(char.IsAsciiHexDigit) || traceId.All(c => c == '0')))
        {
            errors.Add("traceId", "must be a W3C trace id: 32 hex digits, not all zero.");
        }

        if (request.IdempotencyKey is { } key && (key.Length is 0 or > MaxKeyLength || key.Any(char.IsControl)))
        {
            errors.Add("idempotencyKey", $"must be 1 to {MaxKeyLength} characters, without control characters.");
        }

        var at = request.Timestamp?.ToUniversalTime() ?? now;
        if (at > now + TimeSpan.FromMinutes(5) || at < now - TimeSpan.FromDays(400))
        {
            errors.Add("timestamp", "must be within the last 400 days and not in the future.");
        }

        errors.ThrowIfAny();
        return (model!, input, output, cached, request.TwinId, traceId, request.IdempotencyKey, at);
    }

    private static long Tokens(long? value, string field, bool required, ValidationErrors errors)
    {
        if (value is null)
        {
            if (required)
            {
                errors.Add(field, "is required.");
            }

            return 0;
        }

        if (value is < 0 or > MaxTokens)
        {
            errors.Add(field, $"must be from 0 to {MaxTokens}.");
            return 0;
        }

        return value.Value;
    }
}
