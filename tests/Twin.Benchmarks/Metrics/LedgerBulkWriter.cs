using Azure.Data.Tables;
using Twin.Observability.Ledger;

namespace Twin.Benchmarks.Metrics;

/// <summary>
/// Fills the ledger fast: the app writes one row per chat, which for a million rows would take Azurite an hour, so
/// rows become the same entities (<see cref="LedgerStore.EntityOf"/>, plus the score columns
/// <see cref="LedgerStore.RecordScoresAsync"/> adds) and go in entity-group transactions of up to 100 rows of one
/// partition, several transactions in flight. Rows are submitted in time order, hour after hour.
/// </summary>
internal static class LedgerBulkWriter
{
    private const int RowsPerTransaction = 100;

    public static async Task<long> WriteAsync(LedgerStore ledger, TableClient table, IEnumerable<IReadOnlyList<LedgerEntry>> hours, int inFlight, CancellationToken cancellationToken)
    {
        long written = 0;
        var transactions = hours.SelectMany(hour => hour
            .Select(row => EntityOf(ledger, row))
            .GroupBy(e => e.PartitionKey, StringComparer.Ordinal)
            .SelectMany(partition => partition.Chunk(RowsPerTransaction)));
        await Parallel.ForEachAsync(transactions, new ParallelOptions { MaxDegreeOfParallelism = inFlight, CancellationToken = cancellationToken }, async (chunk, token) =>
        {
            await table.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), token);
            Interlocked.Add(ref written, chunk.Length);
        });
        return written;
    }

    private static TableEntity EntityOf(LedgerStore ledger, LedgerEntry row)
    {
        var entity = ledger.EntityOf(row);
        if (row.Scores.Count > 0)
        {
            entity["ScoreMethod"] = row.ScoreMethod;
            foreach (var (name, value) in row.Scores)
            {
                entity[LedgerRows.ScoreColumn(name)] = value;
            }
        }

        return entity;
    }
}
