namespace Twin.Observability.Security;

/// <summary>What an API key may do: <c>Admin</c> keys open the management routes, <c>User</c> keys sign a user in to chat.</summary>
public enum ApiKeyRole
{
    Admin,
    User,
}
