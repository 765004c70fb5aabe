using System.Buffers;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Twin.Benchmarks;

/// <summary>
/// A stand-in for Langfuse's OTLP endpoint on 127.0.0.1 (a free port): Kestrel accepting
/// <c>POST /api/public/otel/v1/traces</c>, answering 200 with an empty <c>ExportTraceServiceResponse</c> (zero bytes of
/// protobuf), and counting requests, body bytes and spans, so the measurement can check that no span was dropped.
/// </summary>
internal sealed class LoopbackOtlpReceiver : IOtlpSink
{
    private readonly WebApplication _app;
    private long _requests;
    private long _bytes;
    private long _spans;

    private LoopbackOtlpReceiver(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    public long Requests => Interlocked.Read(ref _requests);

    public long Bytes => Interlocked.Read(ref _bytes);

    public long Spans => Interlocked.Read(ref _spans);

    public static async Task<LoopbackOtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddRouting();
        var app = builder.Build();
        var receiver = new LoopbackOtlpReceiver(app);
        app.MapPost("/api/public/otel/v1/traces", receiver.ReceiveAsync);
        // For a measuring process when the receiver runs in a process of its own (SinkProcess).
        app.MapGet("/stats", () => string.Create(CultureInfo.InvariantCulture, $"{receiver.Requests} {receiver.Bytes} {receiver.Spans}"));
        app.MapPost("/reset", receiver.Reset);
        await app.StartAsync().ConfigureAwait(false);
        receiver.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return receiver;
    }

    public Task ResetAsync()
    {
        Reset();
        return Task.CompletedTask;
    }

    public Task<OtlpSinkStats> StatsAsync() => Task.FromResult(new OtlpSinkStats(Requests, Bytes, Spans));

    private void Reset()
    {
        Interlocked.Exchange(ref _requests, 0);
        Interlocked.Exchange(ref _bytes, 0);
        Interlocked.Exchange(ref _spans, 0);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync().ConfigureAwait(false);

    private async Task ReceiveAsync(HttpContext context)
    {
        var length = (int)(context.Request.ContentLength ?? 0);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        try
        {
            var read = 0;
            while (read < length)
            {
                var n = await context.Request.Body.ReadAsync(buffer.AsMemory(read, length - read)).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }

            Interlocked.Add(ref _bytes, read);
            Interlocked.Add(ref _spans, OtlpSpanCounter.Count(buffer.AsSpan(0, read)));
            Interlocked.Increment(ref _requests);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/x-protobuf";
        context.Response.ContentLength = 0;
    }
}
