using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Twin.Observability.Common;

namespace Twin.Observability.Security.Outbound;

/// <summary>
/// Decides whether a user-supplied URL may be called: https only, no user info, and a host that neither is nor
/// resolves to an address of <see cref="BlockedAddresses"/>, unless the host is in <c>Outbound:AllowedHosts</c>. The
/// check runs when the URL is saved (<see cref="ValidateAsync"/>) and again on every connection
/// (<see cref="CheckedAddressesAsync"/>, used by <see cref="GuardedHttpHandler"/>), because a name that resolved to a
/// public address when saved can resolve to a private one when called.
/// </summary>
public sealed class OutboundUrlPolicy(IOptionsMonitor<OutboundOptions> options, IHostAddressResolver resolver)
{
    /// <summary>Longer URLs are refused before any parsing or DNS: no webhook needs more.</summary>
    public const int MaxUrlLength = 2048;

    private const string PrivateNetworkHint = "outbound calls may not reach private networks (allow the host in " + OutboundOptions.SectionName + ":AllowedHosts).";

    public bool IsAllowedHost(string host) => options.CurrentValue.IsAllowed(host);

    /// <summary>A primary handler that applies this policy on every connection (<see cref="GuardedHttpHandler"/>).</summary>
    public SocketsHttpHandler CreateHandler() => GuardedHttpHandler.Create(this);

    /// <summary>
    /// Checks <paramref name="url"/> and adds every problem to <paramref name="errors"/> under <paramref name="field"/>;
    /// true when the URL may be saved.
    /// </summary>
    public async Task<bool> ValidateAsync(string? url, string field, ValidationErrors errors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(url))
        {
            errors.Add(field, "is required.");
            return false;
        }

        if (url.Length > MaxUrlLength)
        {
            errors.Add(field, $"must be at most {MaxUrlLength} characters.");
            return false;
        }

        // On Unix a rooted path parses as an absolute file: URI; the scheme check below refuses it with the rest.
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || string.IsNullOrEmpty(uri.IdnHost))
        {
            errors.Add(field, "must be an absolute https URL.");
            return false;
        }

        var host = uri.IdnHost;
        var allowed = IsAllowedHost(host);
        var valid = true;
        if (uri.Scheme == Uri.UriSchemeHttp && !allowed)
        {
            errors.Add(field, $"must be an absolute https URL; plain http is only for hosts in {OutboundOptions.SectionName}:AllowedHosts.");
            valid = false;
        }

        if (uri.UserInfo.Length > 0 || AuthorityHasAt(url))
        {
            // Credentials in a URL end up in logs and Referer headers; they belong in the channel's secret settings.
            errors.Add(field, "may not contain user info (user:password@).");
            valid = false;
        }

        if (!valid || allowed)
        {
            return valid;
        }

        if (HostLiteral.TryParse(host, out var literal))
        {
            if (BlockedAddresses.IsBlocked(literal, out var reason))
            {
                errors.Add(field, $"points at {literal}, {BlockedAddresses.Describe(reason)}; {PrivateNetworkHint}");
                return false;
            }

            return true;
        }

        IPAddress[] addresses;
        try
        {
            addresses = await resolver.ResolveAsync(host, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or ArgumentException)
        {
            addresses = [];
        }

        if (addresses.Length == 0)
        {
            errors.Add(field, $"does not resolve: no address found for '{host}'.");
            return false;
        }

        foreach (var address in addresses)
        {
            if (BlockedAddresses.IsBlocked(address, out var reason))
            {
                errors.Add(field, $"resolves to {address}, {BlockedAddresses.Describe(reason)}; {PrivateNetworkHint}");
                return false;
            }
        }

        return true;
    }

    // "https://@host/" has an empty user info that Uri drops; refuse any '@' before the path all the same.
    private static bool AuthorityHasAt(string url)
    {
        var start = url.IndexOf("://", StringComparison.Ordinal);
        if (start < 0)
        {
            return false;
        }

        var authority = url.AsSpan(start + 3);
        var end = authority.IndexOfAny("/?#\\");
        return (end < 0 ? authority : authority[..end]).Contains('@');
    }

    /// <summary>
    /// The addresses of <paramref name="host"/> a connection may use: the literal itself, or every address the name
    /// resolves to now. Throws <see cref="OutboundAddressRefusedException"/> when any of them is blocked — not only
    /// the one that would be picked, since a name that answers with a private address at all is not to be trusted —
    /// and <see cref="SocketException"/> when the name does not resolve. Allowed hosts are resolved but not checked.
    /// </summary>
    public async Task<IPAddress[]> CheckedAddressesAsync(string host, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        var allowed = IsAllowedHost(host);
        var addresses = HostLiteral.TryParse(host, out var literal)
            ? [literal]
            : await resolver.ResolveAsync(host, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        if (!allowed)
        {
            foreach (var address in addresses)
            {
                if (BlockedAddresses.IsBlocked(address, out var reason))
                {
                    throw new OutboundAddressRefusedException(host, address, reason);
                }
            }
        }

        return addresses;
    }
}
