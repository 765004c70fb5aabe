using Azure.Data.Tables;
using Twin.Observability.Common;
using Twin.Observability.Storage;

namespace Twin.Observability.Chat;

/// <summary>
/// Conversation history in the <c>Conversations</c> table. One partition per twin, caller and conversation, so a
/// caller only ever reads their own; row keys count down in time, so the latest turns are the first rows and reading
/// the last N is one short query however long the conversation grew (<see cref="ConversationKeys"/>).
/// </summary>
public sealed class ConversationStore(TableServiceClient tables, TimeProvider time) : IConversationHistory
{
    private const int MaxTurnsPerExchange = 10;
    private readonly TableStore<TableEntity> _store = new(tables.GetTableClient(StorageNames.Tables.Conversations));

    // The partition is built and checked here, at load-history, before the model is asked: a key storage would refuse
    // fails the chat before it costs a generation, never at save-history after it.
    public async Task<IReadOnlyList<ConversationTurn>> LastTurnsAsync(string twinId, ChatCaller caller, string conversationId, int turns, CancellationToken cancellationToken)
    {
        var partition = ConversationKeys.Partition(twinId, caller, conversationId);
        if (turns <= 0)
        {
            return [];
        }

        var page = await _store.QueryPageAsync($"PartitionKey eq {partition}", new PageRequest(turns, null), cancellationToken).ConfigureAwait(false);
        return page.Items
            .Select(e => new ConversationTurn(e.GetString("Role") ?? "user", e.GetString("Content") ?? "", e.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue))
            .Reverse()
            .ToList();
    }

    /// <summary>
    /// Appends one exchange's turns in one entity-group transaction: all of them or none, never half an exchange. An
    /// upsert, not an insert: the rows are this exchange's alone (<see cref="ConversationKeys.Row"/>), so the SDK
    /// retrying a transaction that did land rewrites the same rows instead of failing with a conflict.
    /// </summary>
    public async Task AppendAsync(string twinId, ChatCaller caller, string conversationId, string traceId, IEnumerable<ConversationTurn> turns, CancellationToken cancellationToken)
    {
        var partition = ConversationKeys.Partition(twinId, caller, conversationId);
        var at = time.GetUtcNow();
        var exchange = ConversationKeys.NewExchangeId();
        var rows = turns.Select((turn, sequence) => new TableEntity(partition, ConversationKeys.Row(at, exchange, sequence))
        {
            ["Role"] = turn.Role,
            ["Content"] = turn.Content,
            ["At"] = turn.At,
            ["TraceId"] = traceId,
        }).ToList();
        if (rows.Count > MaxTurnsPerExchange)
        {
            throw new ArgumentException($"An exchange has at most {MaxTurnsPerExchange} turns.", nameof(turns));
        }

        await _store.UpsertManyAsync(rows, cancellationToken).ConfigureAwait(false);
    }
}
