using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.AI;
using Twin.Observability.Tracing;

namespace Twin.Observability.Llm;

/// <summary>
/// Puts the messages sent and the messages answered on the generation span of Microsoft.Extensions.AI's OpenTelemetry
/// client (which runs outside this one, so its span is current here) as Langfuse's observation input and output.
/// The OpenTelemetry client could write them itself (<c>gen_ai.input/output.messages</c> with sensitive data on), but
/// it serialises them to indented JSON on the request path, about half of its cost; here they become JSON only when
/// exported (<see cref="SpanPayload"/>). Langfuse reads <c>langfuse.observation.input/output</c> before the gen_ai
/// messages (its OtelIngestionProcessor), so it shows the same generation. Streaming calls pass through without
/// them: the app does not stream (a streaming caller would add the output once the stream ends).
/// </summary>
internal sealed class GenerationPayloadChatClient(IChatClient inner) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        // Copies of the lists (references only): the exporter reads them later on its own thread, and the caller's
        // list may change after this call returns.
        var sent = messages.ToArray();
        var generation = Activity.Current is { Source.Name: TwinTelemetry.SourceName } current && current.GetTagItem(LangfuseAttributes.GenAiOperationName) is not null
            ? current
            : null;
        generation?.SetTag(LangfuseAttributes.Input, SpanPayload.Of(sent, ToJson));
        var response = await base.GetResponseAsync(sent, options, cancellationToken).ConfigureAwait(false);
        generation?.SetTag(LangfuseAttributes.Output, SpanPayload.Of(response.Messages.ToArray(), ToJson));
        return response;
    }

    // The chat-message shape Langfuse renders as a conversation: [{role, content}].
    private static string ToJson(object messages) =>
        JsonSerializer.Serialize(
            ((IEnumerable<ChatMessage>)messages).Select(m => new GenerationMessage(m.Role.Value, m.Text)).ToArray(),
            GenerationJsonContext.Default.GenerationMessageArray);
}

internal sealed record GenerationMessage(string Role, string Content);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, GenerationMode = JsonSourceGenerationMode.Serialization)]
[JsonSerializable(typeof(GenerationMessage[]))]
internal sealed partial class GenerationJsonContext : JsonSerializerContext;
