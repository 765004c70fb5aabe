namespace Twin.Observability.Chat;

/// <summary>A chat that was answered: the reply, and the page origin allowed to read it (widget chats).</summary>
public sealed record ChatOutcome(ChatReply Reply, string? CorsOrigin);
