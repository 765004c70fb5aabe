using System.Diagnostics;

namespace Twin.Observability.Storage;

/// <summary>
/// Runs one storage call; when it fails because its table, queue or container is gone (created at start-up, then
/// deleted, or lost by an emulator restarted in memory), creates that resource and runs the call once more. A second
/// failure propagates, so a resource that cannot be created is still reported as an outage.
/// </summary>
public static class MissingResourceRetry
{
    public static async Task<T> RunAsync<T>(
        Func<Task<T>> operation,
        Func<CancellationToken, Task> createResource,
        string resourceName,
        CancellationToken cancellationToken)
    {
        try
        {
            return await operation().ConfigureAwait(false);
        }
        catch (Exception ex) when (StorageFailures.IsMissingResource(ex))
        {
            await createResource(cancellationToken).ConfigureAwait(false);
            // Recorded on the request's span: a resource that keeps vanishing shows in its traces.
            Activity.Current?.AddEvent(new ActivityEvent("storage.resource_recreated", tags: new ActivityTagsCollection { ["storage.resource"] = resourceName }));
            return await operation().ConfigureAwait(false);
        }
    }
}
