using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Configuration;

namespace Twin.Observability.Storage;

/// <summary>
/// Where storage is and how to authenticate, read from <c>AzureWebJobsStorage</c> the way the Functions host reads it:
/// either a connection string (<c>UseDevelopmentStorage=true</c> for Azurite) or identity-based settings
/// (<c>AzureWebJobsStorage__accountName</c>, or <c>__tableServiceUri</c>/<c>__blobServiceUri</c>/<c>__queueServiceUri</c>,
/// with <c>__credential=managedidentity</c> and <c>__clientId</c> for a user-assigned identity).
/// </summary>
public sealed record StorageConnection(string? ConnectionString, Uri? TableServiceUri, Uri? BlobServiceUri, Uri? QueueServiceUri, TokenCredential? Credential)
{
    public const string SettingName = "AzureWebJobsStorage";

    public static StorageConnection FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection(SettingName);
        if (!string.IsNullOrWhiteSpace(section.Value))
        {
            return new StorageConnection(section.Value, null, null, null, null);
        }

        var account = section["accountName"];
        var table = UriOrNull(section["tableServiceUri"]) ?? AccountUri(account, "table");
        var blob = UriOrNull(section["blobServiceUri"]) ?? AccountUri(account, "blob");
        var queue = UriOrNull(section["queueServiceUri"]) ?? AccountUri(account, "queue");
        if (table is null || blob is null || queue is null)
        {
            throw new InvalidOperationException(
                $"Storage is not configured: set {SettingName} to a connection string (UseDevelopmentStorage=true for Azurite), " +
                $"or {SettingName}__accountName (or the __tableServiceUri, __blobServiceUri and __queueServiceUri settings) for identity-based access.");
        }

        return new StorageConnection(null, table, blob, queue, CreateCredential(section));
    }

    private static TokenCredential CreateCredential(IConfigurationSection section)
    {
        var clientId = section["clientId"];
        return string.Equals(section["credential"], "managedidentity", StringComparison.OrdinalIgnoreCase)
            ? new ManagedIdentityCredential(string.IsNullOrEmpty(clientId) ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });
    }

    private static Uri? AccountUri(string? account, string service) =>
        string.IsNullOrWhiteSpace(account) ? null : new Uri($"https://{account}.{service}.core.windows.net");

    private static Uri? UriOrNull(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : new Uri(value, UriKind.Absolute);
}
