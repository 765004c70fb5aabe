using System.ComponentModel.DataAnnotations;

namespace Twin.Functions.Http;

/// <summary>
/// <c>Http</c>: how many proxies in front of the worker append to <c>X-Forwarded-For</c> and are trusted to, the
/// Functions host included. In Azure there are two: the front end appends the client's address, and the Functions
/// host, forwarding the request to the worker, appends the front end's (the host's proxy adds its peer,
/// azure-functions-host <c>ScriptInvocationRequestTransformer</c>); each Front Door or API Management in front adds one.
/// The local host is one, appending its caller's address as the Functions host does. See <see cref="ClientAddress"/>.
/// </summary>
public sealed class ForwardingOptions
{
    public const string SectionName = "Http";

    [Range(0, 10)]
    public int TrustedProxyHops { get; set; } = 2;
}
