using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Twin.Observability.Storage;

namespace Twin.Observability.Chat;

/// <summary>
/// The <c>Conversations</c> table's keys. The user id comes from a credential the app does not shape (a JWT's
/// <c>sub</c> may hold <c>/ \ # ?</c> or run past a kilobyte), so the partition holds its SHA-256 instead: always a
/// valid key, and no user id in a key that storage logs and metrics show. A row key is the exchange's time counted
/// down, a random exchange id and the turn's place in it, so two exchanges of one conversation never collide, even
/// in the same tick.
/// </summary>
public static class ConversationKeys
{
    /// <summary>The partition of one caller's conversation with a twin, checked against the Table key rules.</summary>
    public static string Partition(string twinId, ChatCaller caller, string conversationId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return TableKeys.Validate($"{twinId}|{caller.Channel}|{UserKey(caller.UserId)}|{conversationId}", "conversationId");
    }

    /// <summary>
    /// The row of turn <paramref name="sequence"/> (0-based, at most 9) of one exchange: newer exchanges sort first, and
    /// within an exchange the later turn sorts first, so reading the first N rows and reversing them gives the last N
    /// turns in order.
    /// </summary>
    public static string Row(DateTimeOffset at, string exchangeId, int sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks:D19}-{exchangeId}-{9 - sequence}");

    /// <summary>An id for one exchange (a message and its reply): random, so concurrent exchanges get distinct rows.</summary>
    public static string NewExchangeId() => Guid.NewGuid().ToString("N");

    private static string UserKey(string userId) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(userId)));
}
