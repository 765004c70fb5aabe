namespace Twin.Observability.Chat;

/// <summary>One message of a conversation: who said it (<c>user</c> or <c>assistant</c>) and what.</summary>
public sealed record ConversationTurn(string Role, string Content, DateTimeOffset At);
