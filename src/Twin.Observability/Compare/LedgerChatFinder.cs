using Microsoft.Extensions.Options;
using Twin.Observability.Ledger;

namespace Twin.Observability.Compare;

/// <summary>
/// Finds the chat a comparison names. Trace ids carry no time and the ledger is partitioned by hour, so it reads near
/// a known time (the caller's hint, else Langfuse's timestamp of the trace) and otherwise hour by hour, newest first,
/// over <c>Compare:LookbackHours</c>, stopping at the first hour that has the chat. The texts come from Langfuse when
/// the row's may have been cut (<c>Ledger:TextChars</c>) and Langfuse has them.
/// </summary>
public sealed class LedgerChatFinder(
    LedgerStore ledger,
    LangfuseTraceReader langfuse,
    IOptions<CompareOptions> options,
    IOptions<LedgerOptions> ledgerOptions,
    TimeProvider time)
{
    public const string FromLedger = "ledger";
    public const string FromLangfuse = "langfuse";

    public async Task<ComparedChat?> FindAsync(ChatRef chat, DateTimeOffset? near, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chat);
        if (await FindEntryAsync(chat, near, cancellationToken).ConfigureAwait(false) is not { } entry)
        {
            return null;
        }

        if (MayBeCut(entry) && await langfuse.TextsAsync(entry.TraceId, entry.ObservationId, cancellationToken).ConfigureAwait(false) is { } texts)
        {
            return new ComparedChat(chat, entry, texts.Message ?? entry.Message, texts.Reply ?? entry.Reply, FromLangfuse);
        }

        return new ComparedChat(chat, entry, entry.Message, entry.Reply, FromLedger);
    }

    /// <summary>The chat's ledger row alone (no texts from Langfuse): what scores and feedback need.</summary>
    public async Task<LedgerEntry?> FindEntryAsync(ChatRef chat, DateTimeOffset? near, CancellationToken cancellationToken)
    {
        var at = near ?? await langfuse.TimestampAsync(chat.TraceId, cancellationToken).ConfigureAwait(false);
        if (at is { } hint && Pick(await ledger.RowsOfTraceAsync(chat.TraceId, hint, cancellationToken).ConfigureAwait(false), chat) is { } nearby)
        {
            return nearby;
        }

        var now = time.GetUtcNow();
        for (var back = 0; back < options.Value.LookbackHours; back++)
        {
            var hour = now.AddHours(-back);
            var rows = await ledger.RowsOfTraceInHoursAsync(chat.TraceId, hour, hour, cancellationToken).ConfigureAwait(false);
            if (rows.Count == 0)
            {
                continue;
            }

            if (chat.ObservationId is not null)
            {
                if (Pick(rows, chat) is { } found)
                {
                    return found;
                }

                continue;
            }

            // A bare trace id means the trace's first chat, which may have been written just before this hour began.
            return Pick(await ledger.RowsOfTraceInHoursAsync(chat.TraceId, hour.AddHours(-1), hour, cancellationToken).ConfigureAwait(false), chat);
        }

        return null;
    }

    private static LedgerEntry? Pick(IReadOnlyList<LedgerEntry> rows, ChatRef chat) =>
        chat.ObservationId is null ? (rows.Count > 0 ? rows[0] : null) : rows.FirstOrDefault(r => r.ObservationId == chat.ObservationId);

    // The row keeps the first TextChars characters; a text that long (or none at all) may not be the whole text.
    private bool MayBeCut(LedgerEntry entry)
    {
        var chars = ledgerOptions.Value.TextChars;
        return langfuse.IsConfigured
            && (entry.Message is null || entry.Reply is null || entry.Message.Length >= chars || entry.Reply.Length >= chars);
    }
}
