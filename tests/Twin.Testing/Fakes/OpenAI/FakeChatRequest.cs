using System.Text.Json;

namespace Twin.Testing.Fakes.OpenAI;

/// <summary>
/// A valid chat-completions request as <see cref="FakeOpenAI"/> received it. Message text is the string content, or
/// the text parts of array content joined with newlines.
/// </summary>
public sealed record FakeChatRequest(
    string Model,
    IReadOnlyList<FakeChatMessage> Messages,
    double? Temperature,
    int? MaxTokens,
    string RawJson)
{
    /// <summary>The text of the last <c>user</c> message, or "" when there is none.</summary>
    public string LastUserMessage => Messages.LastOrDefault(m => m.Role == "user")?.Text ?? "";

    /// <summary>The system (or developer) instructions, joined with newlines; "" when there are none.</summary>
    public string Instructions => string.Join("\n", Messages.Where(m => m.Role is "system" or "developer").Select(m => m.Text));

    /// <summary>The <c>response_format.type</c> asked for (<c>text</c>, <c>json_object</c>, <c>json_schema</c>); null when absent.</summary>
    public string? ResponseFormatType =>
        Json.TryGetProperty("response_format", out var format) && format.ValueKind == JsonValueKind.Object && format.TryGetProperty("type", out var type)
            ? type.GetString()
            : null;

    /// <summary>The parsed body, for fields this record does not lift out.</summary>
    public JsonElement Json => JsonDocument.Parse(RawJson).RootElement.Clone();
}

/// <summary>One message of a chat request: its role and its text.</summary>
public sealed record FakeChatMessage(string Role, string Text);
