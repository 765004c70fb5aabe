using Azure.Data.Tables;
using Azure.Storage;
using Azure.Storage.Sas;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Twin.Observability.Storage;
using Twin.Testing;
using Xunit;

namespace Twin.Observability.Tests.Storage;

[Collection(AzuriteCollection.Name)]
public sealed class StorageInitializerTests
{
    [Fact]
    public async Task Declared_tables_containers_and_queues_are_created_and_creating_again_is_harmless()
    {
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var (table, container, queue) = ("init" + suffix, "init-" + suffix, "init-" + suffix);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([new("AzureWebJobsStorage", AzuriteFixture.ConnectionString)])
            .Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddTwinStorage(configuration)
            .AddStorageResources(tables: [table], containers: [container], queues: [queue]);
        await using var provider = services.BuildServiceProvider();
        var initializer = provider.GetServices<IHostedService>().Single();

        await initializer.StartAsync(default);
        await initializer.StopAsync(default);
        await initializer.StartAsync(default);
        await initializer.StopAsync(default);

        try
        {
            Assert.NotNull(await provider.GetRequiredService<TableServiceClient>().QueryAsync(t => t.Name == table).FirstOrDefaultAsync());
            Assert.True(await provider.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(container).ExistsAsync());
            Assert.True(await provider.GetRequiredService<QueueServiceClient>().GetQueueClient(queue).ExistsAsync());
        }
        finally
        {
            await provider.GetRequiredService<TableServiceClient>().DeleteTableAsync(table);
            await provider.GetRequiredService<BlobServiceClient>().DeleteBlobContainerAsync(container);
            await provider.GetRequiredService<QueueServiceClient>().DeleteQueueAsync(queue);
        }
    }

    [Fact]
    public async Task A_403_at_start_up_does_not_stop_the_app_and_creation_is_retried_until_storage_lets_the_app_in()
    {
        // A SAS valid only from a few seconds on: storage answers 403 until then, as Azure does while the app's role
        // assignment propagates, and then lets the same credential in.
        var from = DateTimeOffset.UtcNow.AddSeconds(5);
        var table = "forbid" + Guid.NewGuid().ToString("N")[..10];
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(
            [
                new("AzureWebJobsStorage", SasConnectionString(from)),
                new("Storage:StartupRetryDelayMilliseconds", "200"),
                new("Storage:StartupMaxRetryDelayMilliseconds", "1000"),
            ])
            .Build();
        await using var provider = new ServiceCollection().AddLogging().AddTwinStorage(configuration).AddStorageResources(tables: [table]).BuildServiceProvider();
        var initializer = provider.GetServices<IHostedService>().Single();
        var tables = new TableServiceClient(AzuriteFixture.ConnectionString);

        await initializer.StartAsync(default);
        try
        {
            Assert.True(DateTimeOffset.UtcNow < from, "start-up ran while storage still refused the app");
            Assert.Null(await tables.QueryAsync(t => t.Name == table).FirstOrDefaultAsync());
            await Eventually.TrueAsync(
                async () => await tables.QueryAsync(t => t.Name == table).FirstOrDefaultAsync() is not null,
                TimeSpan.FromSeconds(30),
                "the table created once storage lets the app in");
        }
        finally
        {
            await initializer.StopAsync(default);
            await tables.DeleteTableAsync(table);
        }
    }

    private static string SasConnectionString(DateTimeOffset validFrom)
    {
        var sas = new AccountSasBuilder(AccountSasPermissions.All, validFrom.AddHours(1), AccountSasServices.All, AccountSasResourceTypes.All) { StartsOn = validFrom }
            .ToSasQueryParameters(new StorageSharedKeyCredential(AzuriteProcess.DevelopmentAccount, AzuriteProcess.AccountKey))
            .ToString();
        var endpoints = string.Join(';', AzuriteFixture.ConnectionString.Split(';').Where(p => p.Contains("Endpoint=", StringComparison.Ordinal) && !p.StartsWith("DefaultEndpoints", StringComparison.Ordinal)));
        return $"{endpoints};SharedAccessSignature={sas}";
    }
}
