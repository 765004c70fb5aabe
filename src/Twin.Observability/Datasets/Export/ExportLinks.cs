using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using Microsoft.Extensions.Options;

namespace Twin.Observability.Datasets.Export;

/// <summary>
/// Time-limited read links of exported files: an account-key SAS when storage is reached with a connection string
/// (Azurite, a key-based account), a user-delegation SAS signed with a key from Entra ID under a managed identity,
/// where no account key exists. Links are made when a result is answered, so a status read an hour later still
/// gets a link that works for <see cref="ExportOptions.LinkMinutes"/>.
/// </summary>
public sealed class ExportLinks(BlobExportTarget target, BlobServiceClient blobs, TimeProvider time, IOptions<ExportOptions> options)
{
    // A user-delegation key is valid from its start; a little slack covers clocks that run behind.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    public async Task<IReadOnlyList<ExportedFile>> WithLinksAsync(IReadOnlyList<ExportedFile> files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (files.Count == 0)
        {
            return files;
        }

        var now = time.GetUtcNow();
        var expiresOn = now + options.Value.LinkLifetime;
        UserDelegationKey? key = null;
        var linked = new List<ExportedFile>(files.Count);
        foreach (var file in files)
        {
            var blob = target.Container.GetBlobClient(file.Blob);
            Uri url;
            if (blob.CanGenerateSasUri)
            {
                url = blob.GenerateSasUri(BlobSasPermissions.Read, expiresOn);
            }
            else
            {
                key ??= (await blobs.GetUserDelegationKeyAsync(new BlobGetUserDelegationKeyOptions(expiresOn) { StartsOn = now - ClockSkew }, cancellationToken).ConfigureAwait(false)).Value;
                var sas = new BlobSasBuilder(BlobSasPermissions.Read, expiresOn)
                {
                    BlobContainerName = blob.BlobContainerName,
                    BlobName = blob.Name,
                    Resource = "b",
                    StartsOn = now - ClockSkew,
                };
                url = new BlobUriBuilder(blob.Uri) { Sas = sas.ToSasQueryParameters(key, blobs.AccountName) }.ToUri();
            }

            linked.Add(file with { Url = url, ExpiresAt = expiresOn });
        }

        return linked;
    }
}
