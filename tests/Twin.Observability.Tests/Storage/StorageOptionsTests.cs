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

    [Theory]
    [InlineData(null, 3)]
    [InlineData("0", 1)]
    public async Task A_call_to_storage_that_is_down_fails_as_unavailable_after_the_apps_few_retries_not_the_sdks_default_retries(string? maxRetries, int attempts)
    {
        // Counted, not timed: the SDK's defaults (3 retries from 0.8 s, so 4 attempts) differ from the app's (2 from
        // 100 ms, or as set) in how often they knock as well as how long they take, and a count cannot flake on a
        // loaded machine.
        using var storage = new RefusingListener();
        using var provider = (maxRetries is null ? Services(storage.Port) : Services(storage.Port, ("Storage:MaxRetries", maxRetries))).BuildServiceProvider();
        var store = new TableStore<TestEntity>(provider.GetRequiredService<TableServiceClient>().GetTableClient("down"));

        await Assert.ThrowsAsync<Twin.Observability.Common.StorageUnavailableException>(() => store.FindAsync("p", "r", default));

        Assert.Equal(attempts, storage.Connections);
    }

    private static IServiceCollection Services(params (string Key, string Value)[] settings) => Services(9, settings);

    private static IServiceCollection Services(int port, params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([new("AzureWebJobsStorage", "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + AzuriteProcess.AccountKey + $";TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{port}/devstoreaccount1;BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;"), .. settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))])
            .Build();
        return new ServiceCollection().AddLogging().AddTwinStorage(configuration);
    }
}

/// <summary>Storage that is down: every connection is accepted, counted and reset at once.</summary>
internal sealed class RefusingListener : IDisposable
{
    private readonly System.Net.Sockets.TcpListener _listener = new(System.Net.IPAddress.Loopback, 0);
    private int _connections;

    public RefusingListener()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((System.Net.IPEndPoint)_listener.LocalEndpoint).Port;

    public int Connections => Volatile.Read(ref _connections);

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                using var socket = await _listener.AcceptSocketAsync();
                Interlocked.Increment(ref _connections);
                socket.LingerState = new System.Net.Sockets.LingerOption(true, 0);
                socket.Close();
            }
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            // Stopped with the test.
        }
    }

    public void Dispose() => _listener.Stop();
}
