namespace Twin.Observability.Chat;

/// <summary>
/// What is known about one chat request as admission and the pipeline go on: who the caller turned out to be, which
/// page origin may read the answer, which conversation it joined. A refused or failed chat is recorded and answered
/// with what was known when it stopped.
/// </summary>
public sealed class ChatAttempt
{
    /// <summary>The user, visitor or share-link id, once established.</summary>
    public string? UserId { get; set; }

    /// <summary>The widget origin allowed to read the answer (CORS), once the twin accepted it.</summary>
    public string? CorsOrigin { get; set; }

    public string? ConversationId { get; set; }
}
