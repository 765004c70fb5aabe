using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Twin.Functions.Http;

/// <summary>
/// The <c>forwarding</c> health component: the trusted hop count next to how many addresses recent requests came
/// through (<see cref="ForwardedFor.Addresses"/>), so a wrong count can be seen. With the right count a request the
/// caller sent without <c>X-Forwarded-For</c> comes through exactly as many addresses as hops, and none through fewer;
/// fewer means the count is too high (callers can then choose their rate-limit key by prepending entries). If every
/// request comes through more, the count is probably too low (every caller then shares a proxy's address).
/// Always healthy: a load balancer must not take the app out over it.
/// </summary>
public sealed class ForwardingHealthCheck(IOptions<ForwardingOptions> options, ForwardedForCounts counts) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var hops = options.Value.TrustedProxyHops;
        var recent = counts.Snapshot(hops);
        var data = new Dictionary<string, object>
        {
            ["trustedProxyHops"] = hops,
            ["recentRequests"] = recent.Requests,
            ["addressesPerRequest"] = recent.Addresses,
            ["fewerAddressesThanHops"] = recent.FewerThanHops,
            ["moreAddressesThanHops"] = recent.MoreThanHops,
        };
        return Task.FromResult(HealthCheckResult.Healthy(Describe(hops, recent), data));
    }

    private static string Describe(int hops, ForwardedForSnapshot recent)
    {
        if (recent.FewerThanHops > 0)
        {
            return $"{recent.FewerThanHops} of the last {recent.Requests} requests came through fewer addresses than the {hops} trusted hops: " +
                "Http:TrustedProxyHops is too high (callers can then choose their rate-limit key by prepending X-Forwarded-For entries) " +
                "or those requests bypassed a proxy; they were limited by the connection's address.";
        }

        if (recent.Requests > 0 && recent.MoreThanHops == recent.Requests && hops > 0)
        {
            return $"Every one of the last {recent.Requests} requests came through more addresses than the {hops} trusted hops: " +
                "if no caller wrote X-Forwarded-For, Http:TrustedProxyHops is too low and callers share a proxy's address as their rate-limit key.";
        }

        return hops <= 1
            ? "The client is the connection's address (Http:TrustedProxyHops at most 1): X-Forwarded-For is not read."
            : $"The client is address {hops} from the right (X-Forwarded-For's entries, then the connection's); no recent request came through fewer.";
    }
}
