using System.Threading.Channels;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;

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

    /// <summary>
    /// Raised after the declared resources were created again on request, after the first time: storage lost them (an
    /// in-memory Azurite restarted, a table deleted by hand), so data the app seeds at start-up must be seeded again.
    /// </summary>
    public event EventHandler? Recreated;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await CreateAsync(cancellationToken).ConfigureAwait(false);
            _created = true;
        }
        catch (Exception ex) when (IsStorageAway(ex, cancellationToken))
        {
            LogFailure(ex, options.Value.StartupRetryDelayMilliseconds / 1000.0);
        }

        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retry = StartupRetry.Build(options.Value, ex => IsStorageAway(ex, stoppingToken), (ex, delay) => LogFailure(ex, delay.TotalSeconds));
        while (!stoppingToken.IsCancellationRequested)
        {
            var again = _created;
            if (again)
            {
                await _requests.Reader.ReadAsync(stoppingToken).ConfigureAwait(false);
            }

            await CreateUntilDoneAsync(retry, stoppingToken).ConfigureAwait(false);
            _created = true;
            if (again)
            {
                Recreated?.Invoke(this, EventArgs.Empty);
            }
        }
    }

    // A request for creation (health found resources missing while storage answers) starts the retries over at once
    // instead of waiting out the back-off reached while storage was away.
    private async Task CreateUntilDoneAsync(ResiliencePipeline retry, CancellationToken stoppingToken)
    {
        while (true)
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var creation = retry.ExecuteAsync(ct => new ValueTask(CreateAsync(ct)), attempt.Token).AsTask();
            var request = _requests.Reader.WaitToReadAsync(attempt.Token).AsTask();
            if (await Task.WhenAny(creation, request).ConfigureAwait(false) == request && !creation.IsCompleted)
            {
                _requests.Reader.TryRead(out _);
            }

            // Ends whichever of the two is still waiting: the creation cut short by a request, or the wait for one.
            await attempt.CancelAsync().ConfigureAwait(false);

            try
            {
                await creation.ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // Cut short by a request: try again now.
            }
        }
    }

    private static bool IsStorageAway(Exception ex, CancellationToken cancellationToken) =>
        StorageFailures.IsForbidden(ex) || StorageFailures.IsOutage(ex, cancellationToken);

    private void LogFailure(Exception ex, double seconds)
    {
        if (StorageFailures.IsForbidden(ex))
        {
            LogForbidden(ex, seconds);
        }
        else
        {
            LogCreationFailed(ex, seconds);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage ready: {Tables} tables, {Containers} containers, {Queues} queues")]
    private partial void LogCreated(int tables, int containers, int queues);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not create storage resources: storage is unavailable; retrying in {Seconds} s")]
    private partial void LogCreationFailed(Exception exception, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not create storage resources: storage refused the app's identity (forbidden: no permission yet, or a wrong key); retrying in {Seconds} s")]
    private partial void LogForbidden(Exception exception, double seconds);
}
