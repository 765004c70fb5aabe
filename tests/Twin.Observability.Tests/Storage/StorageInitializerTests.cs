using Azure.Data.Tables;
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
}
