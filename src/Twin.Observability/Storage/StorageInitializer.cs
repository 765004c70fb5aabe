using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Twin.Observability.Storage;

/// <summary>
/// Creates every declared table, container and queue at start-up. Creation is idempotent, so it runs on every start
/// and on every instance. If storage is unreachable the app still starts (health reports it) and creation is retried
/// in the background, so a storage outage at deploy time heals without a restart.
/// </summary>
internal sealed partial class StorageInitializer(
    TableServiceClient tables,
    BlobServiceClient blobs,
    QueueServiceClient queues,
    IOptions<StorageResourceOptions> resources,
    ILogger<StorageInitializer> logger) : BackgroundService
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(30);
    private bool _created;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _created = await TryCreateAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RetryInterval);
        while (!_created && await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            _created = await TryCreateAsync(stoppingToken).ConfigureAwait(false);
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

    private async Task<bool> TryCreateAsync(CancellationToken cancellationToken)
    {
        try
        {
            await CreateAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (StorageFailures.IsOutage(ex, cancellationToken))
        {
            LogCreationFailed(ex, RetryInterval.TotalSeconds);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage ready: {Tables} tables, {Containers} containers, {Queues} queues")]
    private partial void LogCreated(int tables, int containers, int queues);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not create storage resources; retrying every {Seconds} s")]
    private partial void LogCreationFailed(Exception exception, double seconds);
}
