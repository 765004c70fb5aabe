using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Twin.Observability.Ledger;
using Twin.Observability.Metrics;

namespace Twin.Observability.Chat;

/// <summary>
/// Writes the counted refusals (<see cref="ChatRefusals"/>) to the ledger: every <see cref="Interval"/> the minutes
/// that ended, and on shutdown every minute, the current one too. A row that cannot be written stays due and is tried
/// again on the next tick. The rows arrive after their minute, so each marks its minute dirty if the metrics rollup
/// already read it, as a late score does.
/// </summary>
public sealed partial class RefusalFlusher(ChatRefusals refusals, ILedgerWriter ledger, DirtyMinuteStore dirtyMinutes, TimeProvider time, ILogger<RefusalFlusher> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    /// <summary>Writes the rows that are due; returns how many were written.</summary>
    public async Task<int> FlushAsync(bool all, CancellationToken cancellationToken)
    {
        var written = 0;
        foreach (var (row, markWritten) in refusals.Due(all))
        {
            try
            {
                await ledger.WriteAsync(row, cancellationToken).ConfigureAwait(false);
                await dirtyMinutes.MarkIfRolledUpAsync(row.Timestamp, cancellationToken).ConfigureAwait(false);
                markWritten();
                written++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogNotWritten(ex, row.Count, row.Endpoint, row.TwinId);
            }
        }

        return written;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await FlushAsync(all: true, cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await FlushAsync(all: false, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: StopAsync writes what is left.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} refusals of {Endpoint} (twin {TwinId}) not written to the ledger yet; retried on the next flush")]
    private partial void LogNotWritten(Exception exception, long count, string endpoint, string twinId);
}
