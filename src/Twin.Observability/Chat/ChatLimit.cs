namespace Twin.Observability.Chat;

/// <summary>The keys chats are rate limited by (<see cref="ChatRateLimitOptions"/>).</summary>
public enum ChatLimit
{
    ClientAddress,
    Visitor,
    ShareLink,
    Twin,
    User,
    FailedCredentials,
}
