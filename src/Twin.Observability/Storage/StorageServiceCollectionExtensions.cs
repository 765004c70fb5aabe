using Azure.Core;
using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Twin.Observability.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Table, Blob and Queue service clients (with the fail-fast retry of <see cref="StorageOptions"/>)
    /// and the start-up creation of every storage resource.
    /// </summary>
    public static IServiceCollection AddTwinStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.MaxRetryDelayMilliseconds >= o.RetryDelayMilliseconds, "Storage:MaxRetryDelayMilliseconds must be at least Storage:RetryDelayMilliseconds.")
            .Validate(o => o.StartupMaxRetryDelayMilliseconds >= o.StartupRetryDelayMilliseconds, "Storage:StartupMaxRetryDelayMilliseconds must be at least Storage:StartupRetryDelayMilliseconds.")
            .ValidateOnStart();

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

            // Requests wait on storage: a short timeout and few quick retries turn an outage into a 503 within about a
            // second, where the SDK's defaults (3 retries from 0.8 s, 100 s timeout) would hold each request for many.
            clients.ConfigureDefaults((client, provider) =>
            {
                var storage = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
                client.Retry.Mode = RetryMode.Exponential;
                client.Retry.MaxRetries = storage.MaxRetries;
                client.Retry.Delay = storage.RetryDelay;
                client.Retry.MaxDelay = storage.MaxRetryDelay;
                client.Retry.NetworkTimeout = storage.NetworkTimeout;
            });
        });

        services.AddOptions<StorageResourceOptions>();
        services.AddSingleton<StorageInitializer>();
        services.AddHostedService(provider => provider.GetRequiredService<StorageInitializer>());
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
