using Azure;

namespace Twin.Observability.Storage;

/// <summary>Tells a storage outage (retry later) from a caller mistake or a conflict (answer now).</summary>
public static class StorageFailures
{
    /// <summary>
    /// True for failures that mean "storage is not serving": no HTTP response (status 0), a 5xx, a table that start-up
    /// creation has not made yet, the SDK giving up after its retries (an <see cref="AggregateException"/> of those),
    /// or a network timeout the caller did not ask for.
    /// </summary>
    public static bool IsOutage(Exception exception, CancellationToken callerToken = default) => exception switch
    {
        RequestFailedException rfe => rfe.Status == 0 || rfe.Status >= 500 || rfe.ErrorCode is "TableNotFound" or "QueueNotFound" or "ContainerNotFound",
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(e => IsOutage(e, callerToken)),
        HttpRequestException => true,
        OperationCanceledException => !callerToken.IsCancellationRequested,
        _ => false,
    };
}
