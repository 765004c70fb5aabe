using System.Text.Json.Serialization;

namespace Twin.Observability.Prompts;

/// <summary>
/// A prompt as the pipeline uses it: Langfuse's text or chat prompt, or a built-in default. <see cref="Version"/> is
/// null for built-in prompts, which is how generations know there is nothing in Langfuse to link to.
/// </summary>
public sealed record PromptTemplate(
    string Name,
    int? Version,
    PromptKind Kind,
    string? Text,
    IReadOnlyList<PromptMessage> Messages,
    PromptConfig Config,
    IReadOnlyList<string> Labels,
    PromptSource Source);

[JsonConverter(typeof(JsonStringEnumConverter<PromptKind>))]
public enum PromptKind
{
    Text,
    Chat,
}

/// <summary>
/// Where a prompt came from: Langfuse prompt management, the app's built-in default (Langfuse off, down, or without
/// it), or the request itself (a playground prompt that is saved nowhere).
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<PromptSource>))]
public enum PromptSource
{
    Langfuse,
    BuiltIn,
    Inline,
}

/// <summary>One message of a chat prompt.</summary>
public sealed record PromptMessage(string Role, string Content);

/// <summary>The parts of a prompt's <c>config</c> the app honours.</summary>
public sealed record PromptConfig(string? Model, double? Temperature)
{
    public static PromptConfig Empty { get; } = new(null, null);
}
