using System.ComponentModel.DataAnnotations;

namespace Twin.Functions.Http;

/// <summary>
/// <c>Http</c>: how many proxies in front of the app append to <c>X-Forwarded-For</c> and are trusted to. In Azure
/// the front end is one; locally there is none (0), and the connection's own address is the client's.
/// </summary>
public sealed class ForwardingOptions
{
    public const string SectionName = "Http";

    [Range(0, 10)]
    public int TrustedProxyHops { get; set; } = 1;
}
