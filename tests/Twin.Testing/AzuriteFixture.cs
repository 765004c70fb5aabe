using Xunit;

namespace Twin.Testing;

/// <summary>
/// Real storage for tests: an in-memory Azurite of this test process alone, on free loopback ports, so two test runs
/// on one machine never see each other's tables or queues. Started by the first fixture of the process, shared by
/// its collections and killed when the process exits. <see cref="ConnectionString"/> is its development account;
/// <see cref="NewAccountConnectionString"/> hands a test an account nobody else uses (empty tables and queues).
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private const int Accounts = 160;
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static AzuriteProcess? _azurite;
    private static int _accountsHandedOut;

    /// <summary>The development account of this process's Azurite; only valid once a fixture has been initialized.</summary>
    public static string ConnectionString => Started.ConnectionString();

    private static AzuriteProcess Started => _azurite ?? throw new InvalidOperationException(
        "Azurite is not started: the test must be in a collection whose fixture is AzuriteFixture (or start one).");

    /// <summary>A connection string for an account of its own: tables and queues no other test writes.</summary>
    public static string NewAccountConnectionString()
    {
        var index = Interlocked.Increment(ref _accountsHandedOut);
        if (index > Accounts)
        {
            throw new InvalidOperationException($"All {Accounts} isolated Azurite accounts are in use; raise AzuriteFixture.Accounts.");
        }

        return Started.ConnectionString(AccountName(index));
    }

    public async Task InitializeAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_azurite is null)
            {
                var azurite = await AzuriteProcess.StartAsync(extraAccounts: Enumerable.Range(1, Accounts).Select(AccountName));
                AppDomain.CurrentDomain.ProcessExit += (_, _) => azurite.Kill();
                _azurite = azurite;
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    // Collections start and finish at different times; the process's Azurite outlives them all and is killed at exit.
    public Task DisposeAsync() => Task.CompletedTask;

    private static string AccountName(int index) => $"twintest{index:D3}";
}
