using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twin.Observability.Common;

namespace Twin.Observability.Twins;

/// <summary>
/// Creates the demo twin at start-up when <see cref="TwinsOptions.SeedDemoTwin"/> is on. Idempotent: an existing demo
/// twin, edited or not, is left as it is. Runs after storage creation (hosted services start in registration order).
/// </summary>
internal sealed partial class DemoTwinSeeder(TwinService twins, IOptions<TwinsOptions> options, ILogger<DemoTwinSeeder> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.SeedDemoTwin)
        {
            return;
        }

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
        catch (StorageUnavailableException ex)
        {
            LogStorageDown(ex, DemoTwin.Id);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded the demo twin '{TwinId}'")]
    private partial void LogSeeded(string twinId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Demo twin '{TwinId}' already exists; left unchanged")]
    private partial void LogAlreadyThere(string twinId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not seed the demo twin '{TwinId}': storage unavailable")]
    private partial void LogStorageDown(Exception exception, string twinId);
}
