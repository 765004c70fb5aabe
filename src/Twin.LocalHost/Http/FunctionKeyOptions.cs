namespace Twin.LocalHost.Http;

/// <summary>
/// The <c>LocalHost</c> section: the keys the local host accepts for functions whose auth level is not anonymous,
/// as the Functions host's key store would hold them. <c>Function</c> level accepts the function's own keys, any host
/// key or the master key; <c>Admin</c> level only the master key.
/// </summary>
public sealed class FunctionKeyOptions
{
    public const string SectionName = "LocalHost";

    public string? MasterKey { get; set; }

    public Dictionary<string, string> HostKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Function name → (key name → key).</summary>
    public Dictionary<string, Dictionary<string, string>> FunctionKeys { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
