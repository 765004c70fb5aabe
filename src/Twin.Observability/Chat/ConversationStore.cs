using System.Globalization;
using Azure.Data.Tables;
using Twin.Observability.Common;
using Twin.Observability.Storage;

namespace Twin.Observability.Chat;

/// <summary>
/// Conversation history in the <c>Conversations</c> table. One partition per twin, caller and conversation, so a
/// caller only ever reads their own; row keys count down in time, so the latest turns are the first rows and reading
/// the last N is one short query however long the conversation grew.
/// </summary>
public sealed class ConversationStore(TableServiceClient tables, TimeProvider time) : IConversationHistory
{
    private readonly TableStore<TableEntity> _store = new(tables.GetTableClient(StorageNames.Tables.Conversations));

    public async Task<IReadOnlyList<ConversationTurn>> LastTurnsAsync(string twinId, ChatCaller caller, string conversationId, int turns, CancellationToken cancellationToken)
    {
        if (turns <= 0)
        {
            return [];
        }

        var page = await _store.QueryPageAsync($"PartitionKey eq {Partition(twinId, caller, conversationId)}", new PageRequest(turns, null), cancellationToken).ConfigureAwait(false);
        return page.Items
            .Select(e => new ConversationTurn(e.GetString("Role") ?? "user", e.GetString("Content") ?? "", e.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue))
            .Reverse()
            .ToList();
    }

    public async Task AppendAsync(string twinId, ChatCaller caller, string conversationId, string traceId, IEnumerable<ConversationTurn> turns, CancellationToken cancellationToken)
    {
        var sequence = 0;
        foreach (var turn in turns)
        {
            // Inverted ticks make newer rows sort first; the sequence keeps two turns of one instant in order.
            var rowKey = string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.MaxValue.UtcTicks - time.GetUtcNow().UtcTicks:D19}-{9 - sequence++}");
            await _store.AddAsync(
                new TableEntity(Partition(twinId, caller, conversationId), rowKey)
                {
                    ["Role"] = turn.Role,
                    ["Content"] = turn.Content,
                    ["At"] = turn.At,
                    ["TraceId"] = traceId,
                },
                cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Partition(string twinId, ChatCaller caller, string conversationId) =>
        $"{twinId}|{caller.Channel}|{caller.UserId}|{conversationId}";
}
