using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Twin.Observability.Storage;

namespace Twin.Observability.Health;

/// <summary>
/// Storage is healthy when the Table, Blob and Queue services answer within <see cref="StorageOptions.HealthTimeout"/>
/// and every table, container and queue the app declares (<see cref="StorageResourceOptions"/>) exists. Missing
/// resources (storage restarted empty) are unhealthy and named, and their creation is requested at once, so health
/// recovers as soon as they are back. A 401/403 is reported as <c>forbidden</c>: the app's identity has no permission.
/// </summary>
internal sealed class StorageHealthCheck(
    TableServiceClient tables,
    BlobServiceClient blobs,
    QueueServiceClient queues,
    IOptions<StorageResourceOptions> resources,
    IOptions<StorageOptions> options,
    StorageInitializer initializer) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.HealthTimeout);
        var token = timeout.Token;
        var wanted = resources.Value;
        var probes = new Dictionary<string, Task<ProbeResult>>
        {
            ["tables"] = Probe(wanted.Tables, () => NamesAsync(tables.QueryAsync(cancellationToken: token), t => t.Name), cancellationToken),
            ["blobs"] = Probe(wanted.Containers, () => NamesAsync(blobs.GetBlobContainersAsync(cancellationToken: token), c => c.Name), cancellationToken),
            ["queues"] = Probe(wanted.Queues, () => NamesAsync(queues.GetQueuesAsync(cancellationToken: token), q => q.Name), cancellationToken),
        };
        await Task.WhenAll(probes.Values).ConfigureAwait(false);

        var results = probes.ToDictionary(p => p.Key, p => p.Value.Result);
        var data = results.ToDictionary(r => r.Key, r => (object)r.Value.State);
        var missing = results.Values.SelectMany(r => r.Missing).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            data["missing"] = missing;
            initializer.RequestCreation();
        }

        if (results.Values.All(r => r.State == "reachable"))
        {
            return HealthCheckResult.Healthy("Table, Blob and Queue storage answer and hold every declared resource.", data);
        }

        var description = results.Values.Any(r => r.State == "forbidden")
            ? "Storage refuses the app's identity (forbidden: no permission, or a wrong key)."
            : missing.Count > 0 ? "Storage resources are missing; they are being created again." : "Storage does not answer.";
        return HealthCheckResult.Unhealthy(description, data: data);
    }

    // Listing is the cheapest call every service answers whatever resources exist, so a healthy service never logs a
    // 404, and one listing shows every declared resource of that service.
    private static async Task<HashSet<string>> NamesAsync<T>(Azure.AsyncPageable<T> pageable, Func<T, string> name)
        where T : notnull
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await foreach (var item in pageable.ConfigureAwait(false))
        {
            names.Add(name(item));
        }

        return names;
    }

    // A probe never throws, so one slow service does not hide the state of the others.
    private static async Task<ProbeResult> Probe(IReadOnlySet<string> declared, Func<Task<HashSet<string>>> list, CancellationToken callerToken)
    {
        try
        {
            var existing = await list().ConfigureAwait(false);
            var missing = declared.Where(d => !existing.Contains(d)).ToList();
            return new ProbeResult(missing.Count == 0 ? "reachable" : "missing resources", missing);
        }
        catch (Exception ex) when (StorageFailures.IsForbidden(ex))
        {
            return new ProbeResult("forbidden", []);
        }
        catch (Exception ex) when (StorageFailures.IsOutage(ex, callerToken) || ex is Azure.RequestFailedException)
        {
            return new ProbeResult(ex is OperationCanceledException ? "timed out" : "unreachable", []);
        }
    }

    private sealed record ProbeResult(string State, IReadOnlyList<string> Missing);
}
