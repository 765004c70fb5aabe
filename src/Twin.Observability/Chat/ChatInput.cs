using System.Text.Json;

namespace Twin.Observability.Chat;

/// <summary>The body of a chat request. <see cref="VisitorId"/> is read by the widget endpoint only.</summary>
public sealed record ChatInput
{
    public string? Message { get; init; }

    public string? ConversationId { get; init; }

    public IReadOnlyDictionary<string, JsonElement>? Metadata { get; init; }

    public string? VisitorId { get; init; }
}
