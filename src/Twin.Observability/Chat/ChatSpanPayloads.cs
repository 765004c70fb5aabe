using System.Text.Json;
using System.Text.Json.Serialization;

namespace Twin.Observability.Chat;

// The inputs and outputs a chat's spans show in Langfuse. Named types rather than anonymous objects so that
// ChatSpanJsonContext serialises them with source-generated code: they are written on every traced request.

internal sealed record ChatSpanInput(string Message, string ConversationId);

internal sealed record ChatSpanOutput(string Reply);

internal sealed record AdmitSpanInput(string Endpoint);

internal sealed record AdmitSpanOutput(bool Admitted, string TwinId);

internal sealed record LoadTwinSpanInput(string TwinId);

internal sealed record LoadTwinSpanOutput(string Id, string Name);

internal sealed record LoadHistorySpanInput(string ConversationId, int MaxTurns);

internal sealed record LoadHistorySpanOutput(int Turns);

internal sealed record RetrieveSpanInput(string Query);

internal sealed record RetrievedSnippetView(int Index, string Text, double Score);

internal sealed record FewShotExampleView(string ItemId, double Similarity, string? SourceTraceId);

internal sealed record BuildPromptSpanOutput(string Prompt, int? Version, string Source, int Messages, IReadOnlyList<string> MissingVariables);

/// <summary>
/// Source-generated JSON for <see cref="PipelineNode.Json"/>, with the web defaults (camelCase) the reflection
/// serialiser used before, so the attributes Langfuse receives are unchanged.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, GenerationMode = JsonSourceGenerationMode.Serialization)]
[JsonSerializable(typeof(ChatSpanInput))]
[JsonSerializable(typeof(ChatSpanOutput))]
[JsonSerializable(typeof(AdmitSpanInput))]
[JsonSerializable(typeof(AdmitSpanOutput))]
[JsonSerializable(typeof(LoadTwinSpanInput))]
[JsonSerializable(typeof(LoadTwinSpanOutput))]
[JsonSerializable(typeof(LoadHistorySpanInput))]
[JsonSerializable(typeof(LoadHistorySpanOutput))]
[JsonSerializable(typeof(RetrieveSpanInput))]
[JsonSerializable(typeof(RetrievedSnippetView[]))]
[JsonSerializable(typeof(FewShotExampleView[]))]
[JsonSerializable(typeof(BuildPromptSpanOutput))]
internal sealed partial class ChatSpanJsonContext : JsonSerializerContext;
