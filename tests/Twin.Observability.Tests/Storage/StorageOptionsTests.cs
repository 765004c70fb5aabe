using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Twin.Observability.Storage;
using Twin.Testing;
using Xunit;

namespace Twin.Observability.Tests.Storage;

public sealed class StorageOptionsTests
{
    [Theory]
    [InlineData("Storage:MaxRetries", "-1")]
    [InlineData("Storage:NetworkTimeoutMilliseconds", "0")]
    [InlineData("Storage:MaxRetryDelayMilliseconds", "50")]
    [InlineData("Storage:StartupMaxRetryDelayMilliseconds", "10")]
    public void Invalid_storage_settings_are_refused_naming_the_setting(string key, string value)
    {
        using var provider = Services((key, value)).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<StorageOptions>>().Value);

        Assert.Contains(key.Split(':')[1], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_call_to_storage_that_is_down_fails_as_unavailable_within_about_a_second_not_after_the_sdks_default_retries()
    {
        using var provider = Services().BuildServiceProvider();
        var store = new TableStore<TestEntity>(provider.GetRequiredService<TableServiceClient>().GetTableClient("down"));

        // A first call pays for loading and compiling the SDK's code (seconds on a busy machine); the second is timed.
        await Assert.ThrowsAsync<Twin.Observability.Common.StorageUnavailableException>(() => store.FindAsync("p", "r", default));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Assert.ThrowsAsync<Twin.Observability.Common.StorageUnavailableException>(() => store.FindAsync("p", "r", default));

        // Bounded generously for a loaded machine; the SDK's defaults (3 retries from 0.8 s) take over 5 s here.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed.TotalMilliseconds:0} ms");
    }

    private static IServiceCollection Services(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([new("AzureWebJobsStorage", "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + AzuriteProcess.AccountKey + ";TableEndpoint=http://127.0.0.1:9/devstoreaccount1;QueueEndpoint=http://127.0.0.1:9/devstoreaccount1;BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;"), .. settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))])
            .Build();
        return new ServiceCollection().AddLogging().AddTwinStorage(configuration);
    }
}
