using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Twin.Observability.Storage;
using Xunit;

namespace Twin.Observability.Tests.Storage;

public sealed class StorageConnectionTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void A_connection_string_is_used_as_it_is()
    {
        var connection = StorageConnection.FromConfiguration(Config(("AzureWebJobsStorage", "UseDevelopmentStorage=true")));

        Assert.Equal("UseDevelopmentStorage=true", connection.ConnectionString);
        Assert.Null(connection.Credential);
    }

    [Fact]
    public void An_account_name_gives_the_three_service_endpoints_and_a_managed_identity()
    {
        var connection = StorageConnection.FromConfiguration(Config(
            ("AzureWebJobsStorage:accountName", "twinstore"),
            ("AzureWebJobsStorage:credential", "managedidentity"),
            ("AzureWebJobsStorage:clientId", "00000000-0000-0000-0000-000000000001")));

        Assert.Null(connection.ConnectionString);
        Assert.Equal(new Uri("https://twinstore.table.core.windows.net"), connection.TableServiceUri);
        Assert.Equal(new Uri("https://twinstore.blob.core.windows.net"), connection.BlobServiceUri);
        Assert.Equal(new Uri("https://twinstore.queue.core.windows.net"), connection.QueueServiceUri);
        Assert.IsType<ManagedIdentityCredential>(connection.Credential);
    }

    [Fact]
    public void Explicit_service_uris_win_over_the_account_name()
    {
        var connection = StorageConnection.FromConfiguration(Config(
            ("AzureWebJobsStorage:accountName", "twinstore"),
            ("AzureWebJobsStorage:tableServiceUri", "https://tables.example.net")));

        Assert.Equal(new Uri("https://tables.example.net"), connection.TableServiceUri);
        Assert.Equal(new Uri("https://twinstore.blob.core.windows.net"), connection.BlobServiceUri);
        Assert.IsType<DefaultAzureCredential>(connection.Credential);
    }

    [Fact]
    public void Missing_storage_settings_stop_start_up_with_a_hint()
    {
        var error = Assert.Throws<InvalidOperationException>(() => StorageConnection.FromConfiguration(Config()));

        Assert.Contains("UseDevelopmentStorage=true", error.Message, StringComparison.Ordinal);
    }
}
