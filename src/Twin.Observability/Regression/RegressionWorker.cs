using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twin.Observability.Datasets;
using Twin.Observability.Twins;

namespace Twin.Observability.Regression;

/// <summary>
/// Handles the <c>regression-runs</c> queue. A <c>plan</c> message lists the run's items (up to its maximum), records
/// the total and fans out one <c>item</c> message each; an item message runs its item once: the result row is the
/// claim (a redelivered message finds it and only makes sure it was counted), the run's counters move with its ETag,
/// and the update that counts the last item marks the run finished, so completion happens once.
/// </summary>
public sealed partial class RegressionWorker(
    RegressionStore store,
    RegressionDispatcher queue,
    RegressionItemRunner runner,
    IDatasetStore datasets,
    ITwinLookup twins,
    IOptions<RegressionOptions> options,
    TimeProvider time,
    ILogger<RegressionWorker> logger)
{
    public Task HandleAsync(RegressionMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Kind == RegressionMessage.Plan ? PlanAsync(message.RunId, cancellationToken) : RunItemAsync(message, cancellationToken);
    }

    private async Task PlanAsync(string runId, CancellationToken cancellationToken)
    {
        if (await store.FindRunAsync(runId, cancellationToken).ConfigureAwait(false) is not { } run)
        {
            return;
        }

        var limit = Math.Min(run.MaxItems ?? options.Value.MaxItems, options.Value.MaxItems);
        var items = new List<DatasetItem>();
        await foreach (var item in datasets.ListItemsAsync(run.Dataset, cancellationToken).ConfigureAwait(false))
        {
            items.Add(item);
            if (items.Count >= limit)
            {
                break;
            }
        }

        var now = time.GetUtcNow();
        await store.UpdateRunAsync(runId, r => r.Total is null
            ? r with { Total = items.Count, Status = items.Count == 0 ? RegressionRun.Finished : RegressionRun.Running, FinishedAt = items.Count == 0 ? now : null }
            : null, cancellationToken).ConfigureAwait(false);

        // A redelivered plan sends the items again: each runs once all the same, since its result row is its claim.
        foreach (var item in items)
        {
            await queue.EnqueueAsync(
                new RegressionMessage
                {
                    Kind = RegressionMessage.Item,
                    RunId = runId,
                    ItemId = item.Id,
                    Message = item.Input["message"]?.GetValue<string>() ?? item.Input.ToJsonString(),
                    ExpectedReply = item.ExpectedOutput["reply"]?.GetValue<string>(),
                },
                cancellationToken).ConfigureAwait(false);
        }

        LogPlanned(runId, items.Count);
    }

    private async Task RunItemAsync(RegressionMessage message, CancellationToken cancellationToken)
    {
        if (await store.FindRunAsync(message.RunId, cancellationToken).ConfigureAwait(false) is not { } run || message.ItemId is not { } itemId)
        {
            return;
        }

        if (!await store.HasResultAsync(run.Id, itemId, cancellationToken).ConfigureAwait(false))
        {
            var result = await RunAsync(run, itemId, message, cancellationToken).ConfigureAwait(false);
            if (!await store.TryAddResultAsync(result, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            await CountAsync(run.Id, result.Status == "ok", cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<RegressionResult> RunAsync(RegressionRun run, string itemId, RegressionMessage message, CancellationToken cancellationToken)
    {
        if (await twins.FindAsync(run.TwinId, cancellationToken).ConfigureAwait(false) is not { } twin)
        {
            return new RegressionResult { RunId = run.Id, ItemId = itemId, Status = "error", Message = message.Message, Error = $"unknown_twin: twin '{run.TwinId}' no longer exists.", At = time.GetUtcNow() };
        }

        var item = new DatasetItem(itemId, run.Dataset, new JsonObject { ["message"] = message.Message ?? "" }, new JsonObject { ["reply"] = message.ExpectedReply }, [], null);
        return await runner.RunAsync(run, twin, item, cancellationToken).ConfigureAwait(false);
    }

    private async Task CountAsync(string runId, bool ok, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var counted = await store.UpdateRunAsync(runId, r =>
        {
            // A run already complete was recounted from its stored results (this item's among them): nothing to add.
            if (r.IsComplete)
            {
                return null;
            }

            var next = ok ? r with { Done = r.Done + 1 } : r with { Failed = r.Failed + 1 };
            return next.IsComplete ? next with { Status = RegressionRun.Finished, FinishedAt = now } : next;
        }, cancellationToken).ConfigureAwait(false);
        if (counted is { Before.IsComplete: false, After.IsComplete: true } finished)
        {
            LogFinished(runId, finished.After.Done, finished.After.Failed);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Regression run {RunId}: {Items} items queued")]
    private partial void LogPlanned(string runId, int items);

    [LoggerMessage(Level = LogLevel.Information, Message = "Regression run {RunId} finished: {Done} items ran, {Failed} failed")]
    private partial void LogFinished(string runId, int done, int failed);
}
