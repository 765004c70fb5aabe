using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Twin.Observability.Common;
using Twin.Observability.Ledger;

namespace Twin.Observability.Metrics;

/// <summary>
/// Searches the ledger (<c>GET /api/metrics/traces/search</c>), newest hour first (within a page newest first; an hour
/// that spans pages comes shard by shard, since its shards are separate partitions): each hour's partitions are read
/// with the filters the Table service can apply (columns, prompt version, score ranges), the text filter is applied
/// here. A page stops at <c>limit</c> matches or after <see cref="MaxEntitiesPerPage"/> rows read, so no request
/// scans a whole range; the continuation token says where the next page starts (the hour, and the service's own
/// cursor inside it). A page may hold fewer than <c>limit</c> matches while more follow.
/// </summary>
public sealed class TraceSearch(LedgerStore ledger)
{
    public const int MaxEntitiesPerPage = 5_000;

    public async Task<TraceSearchResult> SearchAsync(TraceSearchQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var range = query.Range;
        var firstHour = RollupGranularity.Hour.Floor(range.From);
        var (hour, inner) = Decode(query.Page.ContinuationToken) is { } cursor
            ? cursor
            : (RollupGranularity.Hour.Floor(range.To - TimeSpan.FromTicks(1)), null);
        if (hour < firstHour || hour > range.To)
        {
            throw new RequestValidationException("continuationToken", "does not belong to this range.");
        }

        var clauses = query.Clauses();
        var found = new List<LedgerEntry>();
        var read = 0;
        string? next = null;
        while (true)
        {
            var page = await ledger.SearchHourAsync(hour, Max(range.From, hour), Min(range.To, hour + TimeSpan.FromHours(1)), clauses, new PageRequest(query.Page.Limit - found.Count, inner), cancellationToken).ConfigureAwait(false);
            read += page.Items.Count;
            var matches = page.Items.Select(LedgerRows.ToEntry).Where(r => Matches(r, query.Text)).OrderByDescending(r => r.Timestamp).ToList();
            found.AddRange(matches);
            if (page.ContinuationToken is { } more)
            {
                inner = more;
            }
            else if (hour > firstHour)
            {
                (hour, inner) = (hour - TimeSpan.FromHours(1), null);
            }
            else
            {
                break;
            }

            if (found.Count >= query.Page.Limit || read >= MaxEntitiesPerPage)
            {
                next = Encode(hour, inner);
                break;
            }
        }

        // Storage is asked for no more rows than the page still has room for, so nothing read is ever left out.
        return new TraceSearchResult(found.Select(TraceHit.Of).ToList(), next, read);
    }

    private static bool Matches(LedgerEntry row, string? text) =>
        text is null
        || (row.Message?.Contains(text, StringComparison.OrdinalIgnoreCase) ?? false)
        || (row.Reply?.Contains(text, StringComparison.OrdinalIgnoreCase) ?? false);

    private static string Encode(DateTimeOffset hour, string? inner) =>
        Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new Cursor(RollupGranularity.Hour.Stamp(hour), inner)));

    private static (DateTimeOffset Hour, string? Inner)? Decode(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        try
        {
            var cursor = JsonSerializer.Deserialize<Cursor>(Base64Url.DecodeFromChars(token));
            return cursor is { H.Length: 10 } ? (RollupGranularity.Hour.ParseStamp(cursor.H), cursor.T) : throw new FormatException();
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            throw new RequestValidationException("continuationToken", "is not a token this API issued for this list.");
        }
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private sealed record Cursor(string H, string? T);
}

public sealed record TraceSearchResult(IReadOnlyList<TraceHit> Data, string? ContinuationToken, int EntitiesRead);

/// <summary>One chat found: its identity, outcome, cost, scores and the start of its text.</summary>
public sealed record TraceHit(
    string TraceId,
    string ObservationId,
    DateTimeOffset Timestamp,
    string TwinId,
    string Endpoint,
    string? UserId,
    string Status,
    int HttpStatus,
    string? ErrorType,
    long LatencyMs,
    string? Model,
    string? PromptName,
    int? PromptVersion,
    string? Experiment,
    string? Variant,
    TokenTotals Tokens,
    decimal? CostUsd,
    IReadOnlyDictionary<string, double> Scores,
    IReadOnlyList<string> Violations,
    string? Message,
    string? Reply)
{
    public static TraceHit Of(LedgerEntry row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new(
            row.TraceId, row.ObservationId, row.Timestamp, row.TwinId, row.Endpoint, row.UserId, row.Status, row.HttpStatus, row.ErrorType,
            row.LatencyMs, row.Model, row.PromptName, row.PromptVersion, row.Experiment, row.Variant,
            new TokenTotals(row.InputTokens, row.OutputTokens, row.InputTokens + row.OutputTokens),
            row.CostUsd, new SortedDictionary<string, double>(row.Scores.ToDictionary(), StringComparer.Ordinal), row.Violations, row.Message, row.Reply);
    }
}
