using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Twin.Observability.Tracing;

/// <summary>
/// Makes lost spans visible in the log: a warning as soon as spans fail or are dropped, then at most one per
/// <see cref="SpanExportOptions.WarningInterval"/> with what was lost since the previous one, so an outage of Langfuse
/// neither goes unnoticed nor floods the log. Nothing is logged while every export succeeds.
/// </summary>
internal sealed partial class ExportFailureWarner(
    SpanExportCounters counters,
    IOptions<SpanExportOptions> options,
    TimeProvider time,
    ILogger<ExportFailureWarner> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.WarningInterval;
        DateTimeOffset? lastWarning = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            await counters.WaitForTroubleAsync(stoppingToken).ConfigureAwait(false);
            // Due from the last warning, not from now: waking late (a busy machine, a test's clock) never delays it further.
            if (lastWarning is { } last && last + interval - time.GetUtcNow() is { Ticks: > 0 } wait)
            {
                await Task.Delay(wait, time, stoppingToken).ConfigureAwait(false);
            }

            var trouble = counters.TakeUnreported();
            if (trouble.IsEmpty)
            {
                continue;
            }

            var now = time.GetUtcNow();
            var minutes = Math.Max(1, (int)Math.Ceiling((now - trouble.Since).TotalMinutes));
            LogExportFailed(trouble.Failed, trouble.Dropped, minutes, trouble.Failed > 0 ? trouble.LastFailure ?? "unknown" : "queue full");
            lastWarning = now;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Langfuse trace export failed: {Failed} spans failed and {Dropped} dropped in the last {Minutes} min ({LastError})")]
    private partial void LogExportFailed(long failed, long dropped, int minutes, string lastError);
}
