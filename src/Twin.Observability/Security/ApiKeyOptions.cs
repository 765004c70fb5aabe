namespace Twin.Observability.Security;

/// <summary>
/// One configured API key. Only its hash is configured (<c>sha256:</c> and 64 hex digits of the SHA-256 of the key),
/// so configuration, logs and memory dumps never hold a usable key. Keys are random and long, so a fast hash is
/// enough: there is nothing to brute-force.
/// </summary>
public sealed class ApiKeyOptions
{
    /// <summary>Who holds the key; shows in logs and audit, never the key itself.</summary>
    public string Name { get; set; } = "";

    public string Hash { get; set; } = "";

    /// <summary>
    /// Required, with no default: a key whose role was forgotten must not silently become an <c>Admin</c> key, so
    /// start-up refuses it (<see cref="AuthOptions"/>) naming the key.
    /// </summary>
    public ApiKeyRole? Role { get; set; }

    /// <summary>For <see cref="ApiKeyRole.User"/> and <see cref="ApiKeyRole.Synthetic"/> keys: the user the key signs in.</summary>
    public string? UserId { get; set; }
}
