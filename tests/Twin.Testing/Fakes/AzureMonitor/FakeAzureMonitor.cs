using System.IO.Compression;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Twin.Testing.Fakes.AzureMonitor;

/// <summary>
/// Application Insights ingestion on a free loopback port: takes the Azure Monitor exporter's <c>POST /v2.1/track</c>
/// (newline-delimited JSON envelopes, gzip or plain), keeps every envelope and accepts them all, so a test can assert
/// what was exported. <see cref="ConnectionString"/> points an app at it.
/// </summary>
public sealed class FakeAzureMonitor : IAsyncDisposable
{
    public const string InstrumentationKey = "00000000-0000-0000-0000-000000000001";
    private readonly List<JsonElement> _envelopes = [];
    private WebApplication _app = null!;
    private string _baseUrl = "";

    private FakeAzureMonitor()
    {
    }

    /// <summary>An <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> whose ingestion endpoint is this fake.</summary>
    public string ConnectionString => $"InstrumentationKey={InstrumentationKey};IngestionEndpoint={_baseUrl}/";

    public IReadOnlyList<JsonElement> Envelopes
    {
        get
        {
            lock (_envelopes)
            {
                return [.. _envelopes];
            }
        }
    }

    public static async Task<FakeAzureMonitor> StartAsync()
    {
        var fake = new FakeAzureMonitor();
        (fake._app, fake._baseUrl) = await LoopbackWebApp.StartAsync(app => app.MapPost("/v2.1/track", (Delegate)fake.TrackAsync));
        return fake;
    }

    /// <summary>The envelopes of one operation (W3C trace id), as the exporter tags them in <c>ai.operation.id</c>.</summary>
    public IReadOnlyList<JsonElement> OfOperation(string traceId) =>
        Envelopes.Where(e => e.TryGetProperty("tags", out var tags)
            && tags.TryGetProperty("ai.operation.id", out var id) && id.GetString() == traceId).ToList();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<IResult> TrackAsync(HttpContext context)
    {
        var body = context.Request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase)
            ? new GZipStream(context.Request.Body, CompressionMode.Decompress)
            : context.Request.Body;
        using var reader = new StreamReader(body);
        var received = new List<JsonElement>();
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.Length > 0)
            {
                received.Add(JsonDocument.Parse(line).RootElement.Clone());
            }
        }

        lock (_envelopes)
        {
            _envelopes.AddRange(received);
        }

        return Results.Json(new { itemsReceived = received.Count, itemsAccepted = received.Count, errors = Array.Empty<object>() });
    }
}
