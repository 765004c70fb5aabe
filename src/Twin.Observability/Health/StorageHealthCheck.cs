using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Twin.Observability.Storage;

namespace Twin.Observability.Health;

/// <summary>Storage is healthy when the Table, Blob and Queue services all answer within a few seconds.</summary>
internal sealed class StorageHealthCheck(TableServiceClient tables, BlobServiceClient blobs, QueueServiceClient queues) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var token = timeout.Token;
        var probes = new Dictionary<string, Task<string?>>
        {
            ["tables"] = Probe(() => FirstPageAsync(tables.QueryAsync(maxPerPage: 1, cancellationToken: token))),
            ["blobs"] = Probe(() => FirstPageAsync(blobs.GetBlobContainersAsync(cancellationToken: token))),
            ["queues"] = Probe(() => FirstPageAsync(queues.GetQueuesAsync(cancellationToken: token))),
        };
        await Task.WhenAll(probes.Values).ConfigureAwait(false);

        var data = probes.ToDictionary(p => p.Key, p => (object)(p.Value.Result ?? "reachable"));
        return probes.Values.All(p => p.Result is null)
            ? HealthCheckResult.Healthy("Table, Blob and Queue storage answer.", data)
            : HealthCheckResult.Unhealthy("Storage does not answer.", data: data);
    }

    // Listing is the cheapest call every service answers whatever resources exist, so a healthy service never logs a 404.
    private static async Task FirstPageAsync<T>(Azure.AsyncPageable<T> pageable)
        where T : notnull
    {
        await foreach (var _ in pageable.AsPages(pageSizeHint: 1).ConfigureAwait(false))
        {
            return;
        }
    }

    // A probe returns null when the service answered, or why it did not; it never throws, so one slow service does not
    // hide the state of the others.
    private static async Task<string?> Probe(Func<Task> call)
    {
        try
        {
            await call().ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (StorageFailures.IsOutage(ex) || ex is Azure.RequestFailedException)
        {
            return ex is OperationCanceledException ? "timed out" : "unreachable";
        }
    }
}
