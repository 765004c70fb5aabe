namespace Twin.Functions.Twins;

/// <summary>Body of <c>POST /api/manage/twins/{twinId}/share-tokens</c>; may be omitted for the default expiry.</summary>
public sealed record ShareTokenRequest(DateTimeOffset? ExpiresAt);
