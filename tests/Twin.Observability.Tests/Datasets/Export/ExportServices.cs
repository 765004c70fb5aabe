using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Twin.Observability.Datasets;
using Twin.Testing;

namespace Twin.Observability.Tests.Datasets.Export;

/// <summary>
/// The app's real services (the one composition root) on an Azurite account of their own, offline (no Langfuse, so
/// datasets live in Table Storage), for the export pipeline's integration tests.
/// </summary>
internal sealed class ExportServices : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    public ExportServices(params KeyValuePair<string, string?>[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(TestKeys.Settings)
            .AddInMemoryCollection([new("AzureWebJobsStorage", AzuriteFixture.NewAccountConnectionString()), .. settings])
            .Build();
        _provider = new ServiceCollection()
            .AddLogging()
            .AddSingleton<Microsoft.Extensions.Hosting.IHostEnvironment>(new TestHostEnvironment())
            .AddTwinObservability(configuration)
            .BuildServiceProvider();
    }

    public T Get<T>() where T : notnull => _provider.GetRequiredService<T>();

    /// <summary>Adds items (id, message, reply, relevance) to <paramref name="dataset"/>, created first.</summary>
    public async Task SeedAsync(string dataset, params (string Id, string Message, string Reply, double Relevance)[] items)
    {
        var store = Get<IDatasetStore>();
        await store.EnsureDatasetAsync(dataset, "export tests", default);
        foreach (var (id, message, reply, relevance) in items)
        {
            await store.UpsertItemAsync(
                new DatasetItem(
                    id,
                    dataset,
                    new JsonObject { ["message"] = message, ["twinId"] = "ada" },
                    new JsonObject { ["reply"] = reply },
                    new JsonObject { ["scores"] = new JsonObject { ["relevance"] = relevance }, ["model"] = "twin-offline" },
                    "trace-" + id,
                    "obs-" + id),
                default);
        }
    }

    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}
