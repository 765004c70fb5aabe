using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Twin.LocalHost.Timers;

/// <summary>
/// Where a timer's last and next occurrence are kept between runs of the host, as the Functions host keeps them: blob
/// <c>azure-webjobs-hosts/timers/{hostId}/{function}/status</c> in <c>AzureWebJobsStorage</c>. A run missed while the
/// host was down is then past due when it starts again.
/// </summary>
public sealed class TimerStatusStore(BlobContainerClient container, string hostId)
{
    public const string ContainerName = "azure-webjobs-hosts";

    private static readonly JsonSerializerOptions Json = new();

    public async Task<TimerStatus?> ReadAsync(string functionName, CancellationToken cancellationToken)
    {
        try
        {
            var content = await Blob(functionName).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return content.Value.Content.ToObjectFromJson<TimerStatus>(Json);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    public async Task WriteAsync(string functionName, TimerStatus status, CancellationToken cancellationToken)
    {
        var blob = Blob(functionName);
        var body = BinaryData.FromObjectAsJson(status, Json);
        try
        {
            await blob.UploadAsync(body, overwrite: true, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            await blob.UploadAsync(body, overwrite: true, cancellationToken).ConfigureAwait(false);
        }
    }

    private BlobClient Blob(string functionName) => container.GetBlobClient($"timers/{hostId}/{functionName}/status");
}

/// <summary>A timer's schedule status, as the worker's <c>TimerInfo.ScheduleStatus</c> has it.</summary>
public sealed record TimerStatus(DateTime Last, DateTime Next, DateTime LastUpdated);
