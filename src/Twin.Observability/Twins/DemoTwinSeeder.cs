using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twin.Observability.Common;
using Twin.Observability.Storage;

namespace Twin.Observability.Twins;

/// <summary>
/// Creates the demo twin at start-up when <see cref="TwinsOptions.SeedDemoTwin"/> is on. Idempotent: an existing demo
/// twin, edited or not, is left as it is. Runs after storage creation (hosted services start in registration order).
/// When storage is down or refuses the app's identity, start-up goes on and seeding is retried in the background with
/// the storage start-up back-off. When storage loses its tables and they are created again (an in-memory Azurite
/// restarted), the demo twin is seeded again.
/// </summary>
internal sealed partial class DemoTwinSeeder(
    TwinService twins,
    IOptions<TwinsOptions> options,
    IOptions<StorageOptions> storage,
    StorageInitializer initializer,
    ILogger<DemoTwinSeeder> logger) : BackgroundService
{
    private readonly Channel<bool> _recreated = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private bool _seeded;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _seeded = !options.Value.SeedDemoTwin || await TrySeedAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.SeedDemoTwin)
        {
            return;
        }

        // Storage that lost its tables lost the demo twin with them: seed it again when they are recreated.
        EventHandler onRecreated = (_, _) => _recreated.Writer.TryWrite(true);
        initializer.Recreated += onRecreated;
        try
        {
            var retry = StartupRetry.Build(storage.Value, ex => ex is StorageUnavailableException, (ex, _) => LogStorageDown(ex, DemoTwin.Id));
            while (true)
            {
                if (_seeded)
                {
                    await _recreated.Reader.ReadAsync(stoppingToken).ConfigureAwait(false);
                }

                await retry.ExecuteAsync(async ct => await SeedAsync(ct).ConfigureAwait(false), stoppingToken).ConfigureAwait(false);
                _seeded = true;
            }
        }
        finally
        {
            initializer.Recreated -= onRecreated;
        }
    }

    private async Task<bool> TrySeedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await SeedAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (StorageUnavailableException ex)
        {
            LogStorageDown(ex, DemoTwin.Id);
            return false;
        }
    }

    private async Task SeedAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Looking first keeps a normal restart free of a logged 409 from the storage client.
            if (await twins.FindAsync(DemoTwin.Id, cancellationToken).ConfigureAwait(false) is not null)
            {
                LogAlreadyThere(DemoTwin.Id);
                return;
            }

            await twins.CreateAsync(DemoTwin.Definition, cancellationToken).ConfigureAwait(false);
            LogSeeded(DemoTwin.Id);
        }
        catch (ResourceConflictException)
        {
            LogAlreadyThere(DemoTwin.Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded the demo twin '{TwinId}'")]
    private partial void LogSeeded(string twinId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Demo twin '{TwinId}' already exists; left unchanged")]
    private partial void LogAlreadyThere(string twinId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not seed the demo twin '{TwinId}': storage unavailable or refusing the app; retrying in the background")]
    private partial void LogStorageDown(Exception exception, string twinId);
}
