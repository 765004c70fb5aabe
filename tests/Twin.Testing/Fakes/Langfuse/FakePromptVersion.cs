using System.Text.Json;

namespace Twin.Testing.Fakes.Langfuse;

/// <summary>
/// One version of a prompt in <see cref="FakeLangfuse"/>. <see cref="Type"/> is <c>text</c> (<see cref="Prompt"/> a
/// JSON string) or <c>chat</c> (a JSON array of messages). <see cref="Labels"/> include <c>latest</c> on the newest
/// version of the name.
/// </summary>
public sealed record FakePromptVersion(
    string Name,
    int Version,
    string Type,
    JsonElement Prompt,
    JsonElement Config,
    IReadOnlyList<string> Labels,
    IReadOnlyList<string> Tags,
    DateTimeOffset UpdatedAt)
{
    public override string ToString() => $"prompt {Name} v{Version} ({Type}) labels [{string.Join(", ", Labels)}]";
}
