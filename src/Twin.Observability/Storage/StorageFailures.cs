using Azure;
using Azure.Identity;

namespace Twin.Observability.Storage;

/// <summary>Tells a storage outage (retry later) from a caller mistake or a conflict (answer now).</summary>
public static class StorageFailures
{
    /// <summary>
    /// True for failures that mean "storage is not serving this app": no HTTP response (status 0), a 5xx, a 401/403
    /// (the app's identity is refused: a role assignment still propagating or a rotated key, the operator's problem
    /// and not the caller's), a missing table, queue or container (or one still being deleted), the SDK giving up after its retries (an
    /// <see cref="AggregateException"/> of those), a credential that cannot get a token, or a network timeout the
    /// caller did not ask for.
    /// </summary>
    public static bool IsOutage(Exception exception, CancellationToken callerToken = default) => exception switch
    {
        RequestFailedException rfe => rfe.Status == 0 || rfe.Status >= 500 || IsForbidden(rfe) || IsMissingResource(rfe) || IsBeingDeleted(rfe),
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(e => IsOutage(e, callerToken)),
        AuthenticationFailedException or CredentialUnavailableException => true,
        HttpRequestException => true,
        OperationCanceledException => !callerToken.IsCancellationRequested,
        _ => false,
    };

    /// <summary>Storage refused the app's credential (401) or its permissions (403).</summary>
    public static bool IsForbidden(Exception exception) => exception switch
    {
        RequestFailedException rfe => rfe.Status is 401 or 403,
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsForbidden),
        AuthenticationFailedException or CredentialUnavailableException => true,
        _ => false,
    };

    // Azure refuses to create a table, queue or container again for a while after its deletion (409); it comes back.
    private static bool IsBeingDeleted(RequestFailedException exception) =>
        exception is { Status: 409, ErrorCode: "TableBeingDeleted" or "QueueBeingDeleted" or "ContainerBeingDeleted" };

    /// <summary>The table, queue or container the call addressed does not exist (deleted, or an emulator restarted in memory).</summary>
    public static bool IsMissingResource(Exception exception) =>
        exception is RequestFailedException { Status: 404, ErrorCode: "TableNotFound" or "QueueNotFound" or "ContainerNotFound" };
}
