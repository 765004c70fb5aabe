namespace Twin.Observability.Security;

/// <summary>
/// What an API key may do: <c>Admin</c> keys open the management routes, <c>User</c> keys sign a user in to chat,
/// <c>Synthetic</c> keys sign in the app's own synthetic checks: they chat like a user, but their chats are in the
/// environment <c>synthetic</c>, tagged <c>synthetic</c>, and left out of users' metrics.
/// </summary>
public enum ApiKeyRole
{
    Admin,
    User,
    Synthetic,
}
