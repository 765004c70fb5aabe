using Azure;
using Azure.Data.Tables;

namespace Twin.Observability.Twins.Sharing;

/// <summary>
/// A share token at rest: partition = twin id, row = SHA-256 of the token (hex), so checking a presented token is one
/// point read and the token itself is never stored. <see cref="TokenId"/> is the public handle used to revoke it.
/// </summary>
public sealed class ShareTokenEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string TokenId { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}
