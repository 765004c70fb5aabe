using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Twin.Observability.Common;

namespace Twin.Observability.Twins.Sharing;

/// <summary>
/// Where share links point. <c>Twins:PublicBaseUrl</c> when configured (required outside Development, see
/// <see cref="TwinsOptionsValidator"/>); otherwise, in Development only, the request's own origin if its host is
/// loopback. The Host header is the caller's to choose, so any other host is refused rather than handed back in a
/// link someone else will follow.
/// </summary>
public sealed class ShareLinks(IOptions<TwinsOptions> options, IHostEnvironment environment)
{
    private const string Setting = TwinsOptions.SectionName + ":PublicBaseUrl";

    // Characters that would make the Host header mean something else once put in front of a path.
    private static readonly System.Buffers.SearchValues<char> NotInAHost = System.Buffers.SearchValues.Create("/\\?#@ \t");

    /// <summary>The origin links start with, checked before a token is issued so a refusal leaves no token behind.</summary>
    public string OriginFor(string requestScheme, string requestHost)
    {
        if (!string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl))
        {
            return options.Value.PublicBaseUrl.TrimEnd('/');
        }

        if (!environment.IsDevelopment())
        {
            throw Refused($"is not used for share links outside Development; set {Setting}.");
        }

        if (requestScheme is not ("http" or "https")
            || requestHost.Length == 0
            || requestHost.AsSpan().ContainsAny(NotInAHost)
            || !Uri.TryCreate($"{requestScheme}://{requestHost}/", UriKind.Absolute, out var uri)
            || !IsLoopback(uri))
        {
            throw Refused($"is not a loopback host; without {Setting} share links are built from the request only for localhost, 127.0.0.0/8 and ::1.");
        }

        return $"{uri.Scheme}://{uri.Authority}";
    }

    public static string Url(string origin, string twinId, string token) => $"{origin}/api/public/chat/{twinId}/{token}";

    private static bool IsLoopback(Uri uri) => uri.HostNameType switch
    {
        UriHostNameType.Dns => string.Equals(uri.IdnHost, "localhost", StringComparison.OrdinalIgnoreCase),
        UriHostNameType.IPv4 or UriHostNameType.IPv6 => IPAddress.TryParse(uri.DnsSafeHost, out var address) && IPAddress.IsLoopback(address),
        _ => false,
    };

    private static RequestValidationException Refused(string problem) => new("Host", problem);
}
