using System.Net;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Twin.Observability.Storage;

namespace Twin.Observability.Metrics;

/// <summary>
/// A blob lease that keeps the rollup to one run at a time across hosts (the Functions host makes a timer a singleton
/// within one app; two apps on one storage account, or a local host beside Azure, would still overlap).
/// </summary>
public sealed class RollupLease(BlobServiceClient blobs)
{
    public static readonly TimeSpan Duration = TimeSpan.FromSeconds(60);

    private const string BlobName = "metrics-rollup";

    /// <summary>The lease, or null when another run holds it.</summary>
    public async Task<Held?> TryAcquireAsync(CancellationToken cancellationToken)
    {
        var container = blobs.GetBlobContainerClient(StorageNames.Containers.Locks);
        var blob = container.GetBlobClient(BlobName);
        try
        {
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!(await blob.ExistsAsync(cancellationToken).ConfigureAwait(false)).Value)
            {
                await blob.UploadAsync(BinaryData.Empty, overwrite: false, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed)
        {
            // Another run created it (or holds its lease) in between: acquiring below says which.
        }

        var lease = blob.GetBlobLeaseClient();
        try
        {
            await lease.AcquireAsync(Duration, cancellationToken: cancellationToken).ConfigureAwait(false);
            return new Held(lease);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
        {
            return null;
        }
    }

    public sealed class Held(BlobLeaseClient lease) : IAsyncDisposable
    {
        public Task RenewAsync(CancellationToken cancellationToken) => lease.RenewAsync(cancellationToken: cancellationToken);

        public async ValueTask DisposeAsync()
        {
            try
            {
                await lease.ReleaseAsync().ConfigureAwait(false);
            }
            catch (RequestFailedException)
            {
                // An expired or lost lease ends by itself within its duration; there is nothing left to release.
            }
        }
    }
}
