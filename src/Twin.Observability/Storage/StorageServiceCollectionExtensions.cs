using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Twin.Observability.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>Registers the Table, Blob and Queue service clients and the start-up creation of every storage resource.</summary>
    public static IServiceCollection AddTwinStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var connection = StorageConnection.FromConfiguration(configuration);
        services.AddAzureClients(clients =>
        {
            if (connection.ConnectionString is { } connectionString)
            {
                clients.AddTableServiceClient(connectionString);
                clients.AddBlobServiceClient(connectionString);
                // The Functions queue trigger expects Base64 bodies by default (host.json messageEncoding).
                clients.AddQueueServiceClient(connectionString).ConfigureOptions(o => o.MessageEncoding = QueueMessageEncoding.Base64);
            }
            else
            {
                clients.AddTableServiceClient(connection.TableServiceUri!);
                clients.AddBlobServiceClient(connection.BlobServiceUri!);
                clients.AddQueueServiceClient(connection.QueueServiceUri!).ConfigureOptions(o => o.MessageEncoding = QueueMessageEncoding.Base64);
                clients.UseCredential(connection.Credential!);
            }

            clients.ConfigureDefaults(o =>
            {
                o.Retry.MaxRetries = 3;
                o.Retry.NetworkTimeout = TimeSpan.FromSeconds(15);
            });
        });

        services.AddOptions<StorageResourceOptions>();
        services.AddHostedService<StorageInitializer>();
        return services;
    }

    /// <summary>Declares storage resources a feature needs; they are created idempotently at start-up.</summary>
    public static IServiceCollection AddStorageResources(
        this IServiceCollection services,
        IEnumerable<string>? tables = null,
        IEnumerable<string>? containers = null,
        IEnumerable<string>? queues = null) =>
        services.Configure<StorageResourceOptions>(o =>
        {
            o.Tables.UnionWith(tables ?? []);
            o.Containers.UnionWith(containers ?? []);
            o.Queues.UnionWith(queues ?? []);
        });
}
