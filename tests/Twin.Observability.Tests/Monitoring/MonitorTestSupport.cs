using System.Net;
using System.Net.Sockets;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Twin.Observability.Monitoring;
using Twin.Observability.Security.Outbound;
using Twin.Observability.Storage;
using Twin.Testing;

namespace Twin.Observability.Tests.Monitoring;

/// <summary>An outbound policy with a DNS the test writes, private Azurite accounts and results, for the monitoring tests.</summary>
internal static class MonitorTestSupport
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 2, 12, 0, 0, TimeSpan.Zero);

    public static OutboundUrlPolicy Policy(params string[] allowedHosts) =>
        new(new MonitorOptionsMonitor<OutboundOptions>(new OutboundOptions { AllowedHosts = [.. allowedHosts] }), new MonitorFakeResolver());

    public static async Task<TableServiceClient> TablesAsync()
    {
        var tables = new TableServiceClient(AzuriteFixture.NewAccountConnectionString());
        foreach (var name in new[] { StorageNames.Tables.MonitorChecks, StorageNames.Tables.MonitorResults, StorageNames.Tables.MonitorDays })
        {
            await tables.GetTableClient(name).CreateIfNotExistsAsync();
        }

        return tables;
    }

    public static MonitorResult Result(string checkId, DateTimeOffset at, bool ok = true, long latencyMs = 100, string? twinId = null) => new()
    {
        CheckId = checkId,
        TwinId = twinId,
        At = at,
        Ok = ok,
        Status = ok ? 200 : 500,
        LatencyMs = latencyMs,
        Failures = ok ? [] : ["status 500, expected 200"],
    };

    public static MonitorCheck Check(string id = "0123456789abcdef0123456789abcdef", int intervalMinutes = 5, bool enabled = true) => new()
    {
        Id = id,
        Name = "Greeting",
        Kind = MonitorCheck.TwinKind,
        TwinId = "ada",
        Message = MonitorCheckValidator.DefaultMessage,
        ExpectStatus = 200,
        MaxLatencyMs = 10_000,
        IntervalMinutes = intervalMinutes,
        Enabled = enabled,
        CreatedAt = T0,
        UpdatedAt = T0,
    };
}

/// <summary>A DNS that knows a few public names, one name with a private address and <c>localhost</c>; anything else does not resolve.</summary>
internal sealed class MonitorFakeResolver : IHostAddressResolver
{
    private static readonly Dictionary<string, IPAddress[]> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["example.com"] = [IPAddress.Parse("93.184.216.34")],
        ["status.example.org"] = [IPAddress.Parse("93.184.216.35")],
        ["intranet.example.org"] = [IPAddress.Parse("10.1.2.3")],
        ["localhost"] = [IPAddress.Loopback, IPAddress.IPv6Loopback],
    };

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        Names.TryGetValue(host, out var addresses) ? Task.FromResult(addresses) : throw new SocketException((int)SocketError.HostNotFound);
}

internal sealed class MonitorOptionsMonitor<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue => value;

    public T Get(string? name) => value;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
