using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Twin.Observability.Alerts;
using Twin.Observability.Security.Outbound;

namespace Twin.Observability.Tests.Alerts.Rules;

/// <summary>Rules, secret keys and an outbound policy with a DNS the test writes, for the alert rule tests.</summary>
internal static class AlertTestSupport
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 2, 12, 0, 0, TimeSpan.Zero);

    public static readonly string KeyA = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    public static readonly string KeyB = Convert.ToBase64String(Enumerable.Range(101, 32).Select(i => (byte)i).ToArray());

    public static AlertRule Rule(
        string comparator = "gt",
        double threshold = 10,
        double? warning = null,
        int forEvaluations = 1,
        int cooldownMinutes = 0,
        int? renotifyMinutes = null,
        bool notifyOnRecovery = true,
        string noData = "ok") => new()
    {
        Id = "rule-1",
        Name = "Rule one",
        Metric = "latency_p95_ms",
        WindowMinutes = 5,
        Comparator = comparator,
        Threshold = threshold,
        WarningThreshold = warning,
        Baseline = comparator == "increase_pct" ? "day" : null,
        ForEvaluations = forEvaluations,
        CooldownMinutes = cooldownMinutes,
        RenotifyMinutes = renotifyMinutes,
        NotifyOnRecovery = notifyOnRecovery,
        NoData = noData,
        Severity = "warning",
        Enabled = true,
    };

    public static AlertState NewState() => new() { RuleId = "rule-1" };

    public static AlertSecretProtector Protector(string? key, IReadOnlyDictionary<string, string?>? settings = null) =>
        new(Options.Create(new AlertsOptions { SecretKey = key }), new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build());

    public static OutboundUrlPolicy Policy(params string[] allowedHosts) =>
        new(new StaticOptionsMonitor<OutboundOptions>(new OutboundOptions { AllowedHosts = [.. allowedHosts] }), new FakeResolver());
}

/// <summary>A DNS that knows a few public names and <c>localhost</c>; anything else does not resolve.</summary>
internal sealed class FakeResolver : IHostAddressResolver
{
    private static readonly Dictionary<string, IPAddress[]> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["hooks.slack.com"] = [IPAddress.Parse("52.1.2.3")],
        ["example.com"] = [IPAddress.Parse("93.184.216.34")],
        ["events.pagerduty.com"] = [IPAddress.Parse("52.4.5.6")],
        ["hooks.example.org"] = [IPAddress.Parse("93.184.216.35")],
        ["localhost"] = [IPAddress.Loopback, IPAddress.IPv6Loopback],
    };

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        Names.TryGetValue(host, out var addresses) ? Task.FromResult(addresses) : throw new SocketException((int)SocketError.HostNotFound);
}

internal sealed class StaticOptionsMonitor<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue => value;

    public T Get(string? name) => value;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
