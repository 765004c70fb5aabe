using System.ComponentModel.DataAnnotations;

namespace Twin.Observability.Ledger;

/// <summary>The <c>Ledger</c> section: how ledger rows spread over partitions and how much chat text they keep.</summary>
public sealed class LedgerOptions
{
    public const string SectionName = "Ledger";

    /// <summary>
    /// Partitions per hour. Azure Table's target is 2,000 entities/s per partition; eight shards carry 16,000 chats/s,
    /// near the account's 20,000/s. Changing it later is safe: reads cover every shard of an hour.
    /// </summary>
    [Range(1, 99)]
    public int Shards { get; set; } = 8;

    /// <summary>Characters of the message and the reply kept on the row for search; 0 keeps none.</summary>
    [Range(0, 16_000)]
    public int TextChars { get; set; } = 1_000;
}
