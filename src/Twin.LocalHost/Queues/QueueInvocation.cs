using System.Globalization;
using System.Text.Json;
using Azure.Storage.Queues.Models;
using Google.Protobuf;
using Twin.LocalHost.Metadata;
using Twin.LocalHost.Rpc;

namespace Twin.LocalHost.Queues;

/// <summary>
/// What the Functions host's queue extension gives the worker for one message: the text as the trigger input (or, for
/// a <c>QueueMessage</c> parameter, which the worker binds lazily, the whole message as <c>ModelBindingData</c>) and
/// the message's properties in <c>trigger_metadata</c>, where parameters named after them bind.
/// </summary>
public static class QueueInvocation
{
    public const string ExtensionSource = "AzureStorageQueues";

    public static InvocationRequest For(FunctionMetadata function, QueueMessage message)
    {
        var text = message.Body.ToString();
        var request = new InvocationRequest();
        request.InputData.Add(new ParameterBinding
        {
            Name = function.Trigger.Name,
            Data = function.Trigger.SupportsDeferredBinding ? new TypedData { ModelBindingData = Model(message, text) } : new TypedData { String = text },
        });
        request.TriggerMetadata["QueueTrigger"] = new TypedData { String = text };
        request.TriggerMetadata["DequeueCount"] = new TypedData { Json = message.DequeueCount.ToString(CultureInfo.InvariantCulture) };
        request.TriggerMetadata["Id"] = new TypedData { String = message.MessageId };
        request.TriggerMetadata["PopReceipt"] = new TypedData { String = message.PopReceipt };
        AddTime(request, "InsertionTime", message.InsertedOn);
        AddTime(request, "ExpirationTime", message.ExpiresOn);
        AddTime(request, "NextVisibleTime", message.NextVisibleOn);
        return request;
    }

    private static void AddTime(InvocationRequest request, string name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            request.TriggerMetadata[name] = new TypedData { Json = JsonSerializer.Serialize(time) };
        }
    }

    private static ModelBindingData Model(QueueMessage message, string text) => new()
    {
        Version = "1.0",
        Source = ExtensionSource,
        ContentType = "application/json",
        Content = ByteString.CopyFrom(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["MessageId"] = message.MessageId,
            ["PopReceipt"] = message.PopReceipt,
            ["MessageText"] = text,
            ["DequeueCount"] = message.DequeueCount,
            ["NextVisibleOn"] = message.NextVisibleOn?.UtcDateTime,
            ["InsertedOn"] = message.InsertedOn?.UtcDateTime,
            ["ExpiresOn"] = message.ExpiresOn?.UtcDateTime,
        })),
    };
}
