namespace Twin.Observability.Chat;

/// <summary>The turns of a caller's conversation with a twin.</summary>
public interface IConversationHistory
{
    Task<IReadOnlyList<ConversationTurn>> LastTurnsAsync(string twinId, ChatCaller caller, string conversationId, int turns, CancellationToken cancellationToken);

    Task AppendAsync(string twinId, ChatCaller caller, string conversationId, string traceId, IEnumerable<ConversationTurn> turns, CancellationToken cancellationToken);
}
