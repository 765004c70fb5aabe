namespace Twin.Observability.Monitoring;

/// <summary>The <c>Monitoring</c> section (synthetic checks).</summary>
public sealed class MonitoringOptions
{
    public const string SectionName = "Monitoring";

    /// <summary>
    /// The app's own base URL, which twin checks chat through. Unset: <c>https://{WEBSITE_HOSTNAME}</c> in Azure, and
    /// <c>http://</c> for a loopback host name (the local host sets <c>WEBSITE_HOSTNAME</c> as Core Tools does).
    /// </summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>A key of role <c>Synthetic</c> (Auth:ApiKeys): twin checks sign in with it. In Azure, a Key Vault reference.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Checks run at once by one timer run.</summary>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>At most this many checks.</summary>
    public int MaxChecks { get; set; } = 100;

    public bool IsValid() => MaxConcurrency is >= 1 and <= 32 && MaxChecks is >= 1 and <= 1000 && (BaseUrl is null || BaseUrl.IsAbsoluteUri);
}
