namespace Twin.Observability.Security;

/// <summary>An authenticated caller: the key's name (for logs), its role, and for user keys the user id.</summary>
public sealed record Caller(string Name, ApiKeyRole Role, string? UserId);
