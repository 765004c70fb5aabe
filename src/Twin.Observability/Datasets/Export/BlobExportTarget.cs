using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Twin.Observability.Common;
using Twin.Observability.Storage;

namespace Twin.Observability.Datasets.Export;

/// <summary>
/// Exported files as block blobs of the <c>exports</c> container, written through <see cref="BlockBlobClient.OpenWriteAsync(bool, BlockBlobOpenWriteOptions, CancellationToken)"/>:
/// blocks are staged as the buffer fills and committed when the stream is disposed, so no file is held whole.
/// </summary>
public sealed class BlobExportTarget(BlobServiceClient blobs) : IExportFileTarget
{
    /// <summary>The staged block size: two files open at once stay far below the export's memory budget.</summary>
    private const int BufferBytes = 4 * 1024 * 1024;

    public BlobContainerClient Container { get; } = blobs.GetBlobContainerClient(StorageNames.Containers.Exports);

    public async Task<Stream> OpenAsync(string path, string contentType, CancellationToken cancellationToken)
    {
        var blob = Container.GetBlockBlobClient(path);
        var options = new BlockBlobOpenWriteOptions
        {
            BufferSize = BufferBytes,
            HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
        };
        try
        {
            return await MissingResourceRetry.RunAsync(
                () => blob.OpenWriteAsync(overwrite: true, options, cancellationToken),
                ct => Container.CreateIfNotExistsAsync(cancellationToken: ct),
                Container.Name,
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (StorageFailures.IsOutage(ex, cancellationToken))
        {
            throw new StorageUnavailableException($"Container '{Container.Name}' is unavailable.", ex);
        }
    }

    public Task DeleteAsync(string path, CancellationToken cancellationToken) =>
        Container.GetBlobClient(path).DeleteIfExistsAsync(cancellationToken: cancellationToken);
}
