namespace Twin.Functions.Twins;

/// <summary>The one answer that shows a share token; it cannot be shown again.</summary>
public sealed record ShareTokenCreated(string Id, string Token, string Url, DateTimeOffset ExpiresAt, DateTimeOffset CreatedAt);
