using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Twin.Testing.Fakes;

/// <summary>
/// A webhook receiver on loopback for alert notifications: records every POST (path, headers, exact body bytes) and
/// answers 200, or 503 while <see cref="FailuresLeft"/> is above zero.
/// </summary>
public sealed class FakeWebhookReceiver : IAsyncDisposable
{
    private readonly List<ReceivedWebhook> _requests = [];
    private readonly WebApplication _app;
    private int _failuresLeft;

    private FakeWebhookReceiver(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; private set; }

    public int FailuresLeft
    {
        get => Volatile.Read(ref _failuresLeft);
        set => Volatile.Write(ref _failuresLeft, value);
    }

    public IReadOnlyList<ReceivedWebhook> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public static async Task<FakeWebhookReceiver> StartAsync()
    {
        FakeWebhookReceiver? receiver = null;
        var (app, baseUrl) = await LoopbackWebApp.StartAsync(app => app.MapPost("/{**path}", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal);
            lock (receiver!._requests)
            {
                receiver._requests.Add(new ReceivedWebhook(context.Request.Path, headers, body.ToArray()));
            }

            return Interlocked.Decrement(ref receiver._failuresLeft) >= 0 ? Results.StatusCode(503) : Results.Ok("ok");
        }));
        receiver = new FakeWebhookReceiver(app, baseUrl);
        return receiver;
    }

    public string Url(string path) => BaseUrl + path;

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

public sealed record ReceivedWebhook(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();
}
