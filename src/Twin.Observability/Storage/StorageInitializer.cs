using System.Threading.Channels;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Twin.Observability.Storage;

/// <summary>
/// Creates every declared table, container and queue at start-up. Creation is idempotent, so it runs on every start
/// and on every instance. If storage is unreachable or refuses the app's identity (a 401/403 while a role assignment
/// propagates) the app still starts (health reports it) and creation is retried in the background with capped
/// exponential back-off, so such a deploy heals without a restart. Health asks for creation again when it finds a
/// declared resource missing (<see cref="RequestCreation"/>).
/// </summary>
internal sealed partial class StorageInitializer(
    TableServiceClient tables,
    BlobServiceClient blobs,
    QueueServiceClient queues,
    IOptions<StorageResourceOptions> resources,
    IOptions<StorageOptions> options,
    ILogger<StorageInitializer> logger) : BackgroundService
{
    private readonly Channel<bool> _requests = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private volatile bool _created;

    /// <summary>Asks the background loop to create the declared resources again (cheap; requests coalesce).</summary>
    public void RequestCreation() => _requests.Writer.TryWrite(true);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _created = await TryCreateAsync(failures: 1, cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = _created ? 0 : 1;
        while (!stoppingToken.IsCancellationRequested)
        {
            if (_created)
            {
                await _requests.Reader.ReadAsync(stoppingToken).ConfigureAwait(false);
            }
            else
            {
                await WaitForRetryAsync(options.Value.StartupBackoff.After(failures), stoppingToken).ConfigureAwait(false);
            }

            _created = await TryCreateAsync(failures + 1, stoppingToken).ConfigureAwait(false);
            failures = _created ? 0 : failures + 1;
        }
    }

    internal async Task CreateAsync(CancellationToken cancellationToken)
    {
        var wanted = resources.Value;
        foreach (var table in wanted.Tables)
        {
            await tables.CreateTableIfNotExistsAsync(table, cancellationToken).ConfigureAwait(false);
        }

        foreach (var container in wanted.Containers)
        {
            await blobs.GetBlobContainerClient(container).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        foreach (var queue in wanted.Queues)
        {
            await queues.GetQueueClient(queue).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        LogCreated(wanted.Tables.Count, wanted.Containers.Count, wanted.Queues.Count);
    }

    // A request for creation cuts a back-off wait short: health saw resources missing while storage answers again.
    private async Task WaitForRetryAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        wait.CancelAfter(delay);
        try
        {
            await _requests.Reader.ReadAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // The back-off delay has passed: time for the next attempt.
        }
    }

    private async Task<bool> TryCreateAsync(int failures, CancellationToken cancellationToken)
    {
        try
        {
            await CreateAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (StorageFailures.IsForbidden(ex))
        {
            LogForbidden(ex, options.Value.StartupBackoff.After(failures).TotalSeconds);
            return false;
        }
        catch (Exception ex) when (StorageFailures.IsOutage(ex, cancellationToken))
        {
            LogCreationFailed(ex, options.Value.StartupBackoff.After(failures).TotalSeconds);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage ready: {Tables} tables, {Containers} containers, {Queues} queues")]
    private partial void LogCreated(int tables, int containers, int queues);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not create storage resources: storage is unavailable; retrying in {Seconds} s")]
    private partial void LogCreationFailed(Exception exception, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not create storage resources: storage refused the app's identity (forbidden: no permission yet, or a wrong key); retrying in {Seconds} s")]
    private partial void LogForbidden(Exception exception, double seconds);
}
