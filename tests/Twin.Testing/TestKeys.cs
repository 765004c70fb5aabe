using Twin.Observability.Security;

namespace Twin.Testing;

/// <summary>API keys the tests configure (as hashes) and present (in plain text).</summary>
public static class TestKeys
{
    public const string Admin = "test-admin-key-0b6f1c2e";
    public const string User = "test-user-key-7d3a9e41";
    public const string UserId = "test-user";
    public const string Synthetic = "test-synthetic-key-5c2e8f10";
    public const string SyntheticUserId = "test-synthetic";

    /// <summary>Settings that configure <see cref="Admin"/>, <see cref="User"/> and <see cref="Synthetic"/> in the app's <c>Auth</c> section.</summary>
    public static IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Auth:ApiKeys:0:Name"] = "test-admin",
        ["Auth:ApiKeys:0:Role"] = "Admin",
        ["Auth:ApiKeys:0:Hash"] = ApiKeyHash.Compute(Admin),
        ["Auth:ApiKeys:1:Name"] = "test-user",
        ["Auth:ApiKeys:1:Role"] = "User",
        ["Auth:ApiKeys:1:UserId"] = UserId,
        ["Auth:ApiKeys:1:Hash"] = ApiKeyHash.Compute(User),
        ["Auth:ApiKeys:2:Name"] = "test-synthetic",
        ["Auth:ApiKeys:2:Role"] = "Synthetic",
        ["Auth:ApiKeys:2:UserId"] = SyntheticUserId,
        ["Auth:ApiKeys:2:Hash"] = ApiKeyHash.Compute(Synthetic),
    };
}
