using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Twin.LocalHost.Metadata;
using Twin.LocalHost.Triggers;

namespace Twin.LocalHost.Queues;

/// <summary>A queue-triggered function with its queue (name resolved from <c>%Setting%</c>) and poison queue.</summary>
public sealed record QueueFunction(FunctionMetadata Function, QueueClient Queue, QueueClient PoisonQueue, QueueSettings Settings)
{
    public const string DefaultConnection = "AzureWebJobsStorage";

    public static QueueFunction Create(FunctionMetadata function, IConfiguration configuration, QueueSettings settings)
    {
        var queueName = SettingResolver.Resolve(function.Trigger.QueueName ?? "", configuration, function.Name);
        var connectionName = string.IsNullOrEmpty(function.Trigger.Connection) ? DefaultConnection : function.Trigger.Connection;
        var connectionString = configuration[connectionName]
            ?? throw new InvalidOperationException($"Function '{function.Name}': the local host needs a storage connection string in '{connectionName}'.");
        var options = new QueueClientOptions { MessageEncoding = settings.Base64Encoding ? QueueMessageEncoding.Base64 : QueueMessageEncoding.None };
        // The host's own retries would hide an outage behind minutes of waiting; the listener backs off itself.
        options.Retry.MaxRetries = 1;
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        return new QueueFunction(function, new QueueClient(connectionString, queueName, options), new QueueClient(connectionString, queueName + "-poison", options), settings);
    }
}
