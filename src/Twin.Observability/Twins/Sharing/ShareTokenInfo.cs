namespace Twin.Observability.Twins.Sharing;

/// <summary>What may be shown about an existing share token: never the token or its hash.</summary>
public sealed record ShareTokenInfo(string Id, string TwinId, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? RevokedAt);
