using System.Globalization;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Twin.Observability.Common;
using Twin.Observability.Langfuse;
using Twin.Observability.Ledger;
using Twin.Observability.Metrics;

namespace Twin.Observability.Dashboard;

/// <summary>
/// The most recent chats, newest first, from the ledger (<c>GET /api/dashboard/traces/recent</c>). The ledger lists
/// in ascending key order only, so it is read an hour at a time backwards from now (every shard of the hour), until
/// an hour leaves <see cref="RecentTracesQuery.Limit"/> rows in hand or <see cref="MaxHours"/> hours were read; the
/// answer says which hours were read. Only the newest <c>limit</c> rows are kept while an hour streams by.
/// </summary>
public sealed class RecentTraces(LedgerStore ledger, IOptions<LangfuseOptions> langfuse, TimeProvider time)
{
    /// <summary>Hours read at most: the current hour and the 47 before it.</summary>
    public const int MaxHours = 48;

    public async Task<RecentTracesReport> ReadAsync(RecentTracesQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var to = RollupGranularity.Hour.Floor(time.GetUtcNow()) + TimeSpan.FromHours(1);
        var from = to;
        var hours = 0;
        // The row key starts with the row's time, so ordinal key order is time order; the heap's top is the oldest kept.
        var newest = new PriorityQueue<TableEntity, string>(query.Limit + 1, StringComparer.Ordinal);
        while (hours < MaxHours && newest.Count < query.Limit)
        {
            var hourStart = from - TimeSpan.FromHours(1);
            await foreach (var row in ledger.RowsBetweenAsync(hourStart, from, query.TwinId, cancellationToken).ConfigureAwait(false))
            {
                newest.Enqueue(row, row.RowKey);
                if (newest.Count > query.Limit)
                {
                    newest.Dequeue();
                }
            }

            from = hourStart;
            hours++;
        }

        var rows = new List<RecentTrace>(newest.Count);
        while (newest.TryDequeue(out var row, out _))
        {
            rows.Add(Describe(row));
        }

        rows.Reverse();
        return new RecentTracesReport(rows, new RecentTracesScan(from, to, hours, MaxHours), query);
    }

    /// <summary>A ledger row as the dashboard lists it (also in the live stream's events).</summary>
    public RecentTrace Describe(TableEntity entity) => ToTrace(LedgerRows.ToEntry(entity));

    private RecentTrace ToTrace(LedgerEntry row) => new(
        row.TraceId,
        row.ObservationId,
        row.Timestamp,
        row.TwinId,
        row.Endpoint,
        row.Status,
        row.HttpStatus,
        row.ErrorType,
        row.LatencyMs,
        row.Model,
        new TokenTotals(row.InputTokens, row.OutputTokens, row.InputTokens + row.OutputTokens),
        row.CostUsd,
        new SortedDictionary<string, double>(row.Scores.ToDictionary(), StringComparer.Ordinal),
        LangfuseUrl(row.TraceId));

    /// <summary>Langfuse's trace page (<c>{host}/trace/{traceId}</c> opens it in the trace's project), when Langfuse is on.</summary>
    private string? LangfuseUrl(string traceId) =>
        langfuse.Value.IsConfigured && traceId.Length > 0 ? $"{langfuse.Value.BaseUrl}/trace/{Uri.EscapeDataString(traceId)}" : null;
}

/// <summary>What to list: <c>limit</c> (default 20, at most 100) and an optional <c>twinId</c>.</summary>
public sealed record RecentTracesQuery(int Limit, string? TwinId)
{
    public const int DefaultLimit = 20;

    public const int MaxLimit = 100;

    public static RecentTracesQuery Parse(string? limit, string? twinId)
    {
        var value = DefaultLimit;
        if (!string.IsNullOrWhiteSpace(limit)
            && (!int.TryParse(limit.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out value) || value is < 1 or > MaxLimit))
        {
            throw new RequestValidationException("limit", $"limit must be a whole number from 1 to {MaxLimit}.");
        }

        return new RecentTracesQuery(value, string.IsNullOrWhiteSpace(twinId) ? null : twinId.Trim());
    }
}

/// <summary>The chats found, newest first; which hours of the ledger were read to find them; and the query.</summary>
public sealed record RecentTracesReport(IReadOnlyList<RecentTrace> Data, RecentTracesScan Scanned, RecentTracesQuery Query);

/// <summary>
/// The ledger hours read: [<see cref="From"/>, <see cref="To"/>), whole hours ending with the current one. Fewer than
/// <see cref="MaxHours"/> means the limit was reached; all of them and fewer rows than the limit means there are no
/// more in that window.
/// </summary>
public sealed record RecentTracesScan(DateTimeOffset From, DateTimeOffset To, int Hours, int MaxHours);

/// <summary>One chat as the ledger holds it, with its Langfuse trace page when Langfuse is configured.</summary>
public sealed record RecentTrace(
    string TraceId,
    string ObservationId,
    DateTimeOffset Timestamp,
    string TwinId,
    string Endpoint,
    string Status,
    int HttpStatus,
    string? ErrorType,
    long LatencyMs,
    string? Model,
    TokenTotals Tokens,
    decimal? CostUsd,
    IReadOnlyDictionary<string, double> Scores,
    string? LangfuseUrl);
