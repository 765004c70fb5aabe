using System.Reflection;
using System.Text.Json;
using Azure.Storage.Queues.Models;

namespace Twin.LocalHost.Queues;

/// <summary>Supplies a queue trigger's message as the parameter type the function declares, as the worker's converters do.</summary>
internal static class QueueMessageBinder
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static object? Bind(ParameterInfo parameter, QueueMessage message, string triggerName, CancellationToken cancellationToken)
    {
        var type = parameter.ParameterType;
        if (type == typeof(CancellationToken))
        {
            return cancellationToken;
        }

        if (parameter.Name != triggerName)
        {
            throw new InvalidOperationException($"Queue function parameter '{parameter.Name}' is neither the trigger nor a CancellationToken.");
        }

        return type == typeof(QueueMessage) ? message
            : type == typeof(string) ? message.Body.ToString()
            : type == typeof(BinaryData) ? message.Body
            : type == typeof(byte[]) ? message.Body.ToArray()
            : JsonSerializer.Deserialize(message.Body.ToMemory().Span, type, Json);
    }
}
