using Azure.Data.Tables;
using Azure.Storage.Queues;
using Twin.Testing;
using Xunit;

namespace Twin.Observability.Tests.Storage;

/// <summary>The storage tests use an Azurite of their own process, so two test runs on one machine cannot interfere.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzuriteIsolationTests
{
    [Fact]
    public async Task Tests_use_an_azurite_of_this_process_on_ports_of_its_own_not_the_shared_development_ports()
    {
        Assert.DoesNotContain("UseDevelopmentStorage", AzuriteFixture.ConnectionString, StringComparison.Ordinal);
        Assert.DoesNotContain(":10002/", AzuriteFixture.ConnectionString, StringComparison.Ordinal);
        var table = "isolation" + Guid.NewGuid().ToString("N")[..10];
        await new TableServiceClient(AzuriteFixture.ConnectionString).CreateTableAsync(table);
        await new TableServiceClient(AzuriteFixture.ConnectionString).DeleteTableAsync(table);
    }

    [Fact]
    public async Task An_account_handed_out_to_a_test_starts_empty_and_is_not_shared()
    {
        var first = AzuriteFixture.NewAccountConnectionString();
        var second = AzuriteFixture.NewAccountConnectionString();
        await new QueueServiceClient(first).CreateQueueAsync("isolated");

        Assert.NotEqual(first, second);
        Assert.Empty(await new QueueServiceClient(second).GetQueuesAsync().ToListAsync());
        Assert.Single(await new QueueServiceClient(first).GetQueuesAsync().ToListAsync());
    }
}
