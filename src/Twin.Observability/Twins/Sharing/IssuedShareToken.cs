namespace Twin.Observability.Twins.Sharing;

/// <summary>A newly created share token. <see cref="Token"/> exists only in this answer: only its hash is stored.</summary>
public sealed record IssuedShareToken(string Id, string TwinId, string Token, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);
