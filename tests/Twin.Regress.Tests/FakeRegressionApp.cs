using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Twin.Regress.Tests;

public sealed record RecordedRequest(string Method, string Path, string? ApiKey, JsonObject? Body);

/// <summary>The app's regression API on Kestrel (127.0.0.1, port 0), answering from a script and recording requests.</summary>
public sealed class FakeRegressionApp : IAsyncDisposable
{
    public const string RunId = "run-42";

    private readonly WebApplication app;
    private readonly ConcurrentQueue<RecordedRequest> requests = new();
    private readonly object gate = new();
    private readonly List<Func<IResult>> statusScript = [];
    private int statusIndex;

    /// <summary>The answer to POST /api/manage/regression/test; default 202 with the id and statusUrl.</summary>
    public Func<JsonObject?, IResult> OnStart { get; set; } = _ =>
        Results.Json(new { id = RunId, statusUrl = $"/api/manage/regression/test/{RunId}" }, statusCode: 202);

    /// <summary>The answer to POST /api/manage/regression/baseline; default 201.</summary>
    public Func<JsonObject?, IResult> OnBaseline { get; set; } = body =>
        Results.Json(new { name = body?["name"]?.GetValue<string>(), testId = body?["testId"]?.GetValue<string>() }, statusCode: 201);

    public string BaseUrl { get; }

    public IReadOnlyList<RecordedRequest> Requests => [.. requests];

    private FakeRegressionApp(WebApplication app, string baseUrl)
    {
        this.app = app;
        BaseUrl = baseUrl;
    }

    public static async Task<FakeRegressionApp> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        FakeRegressionApp? fake = null;

        app.MapPost("/api/manage/regression/test", async (HttpContext context) =>
        {
            var body = await fake!.RecordAsync(context);
            return fake.OnStart(body);
        });
        app.MapGet("/api/manage/regression/test/{id}", async (HttpContext context, string id) =>
        {
            await fake!.RecordAsync(context);
            return id == RunId ? fake.NextStatus() : Problem(404, "Not found", $"no regression run {id}");
        });
        app.MapPost("/api/manage/regression/baseline", async (HttpContext context) =>
        {
            var body = await fake!.RecordAsync(context);
            return fake.OnBaseline(body);
        });

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake = new FakeRegressionApp(app, address.TrimEnd('/'));
        return fake;
    }

    /// <summary>Status answers in order; the last one repeats.</summary>
    public FakeRegressionApp Statuses(params object[] statuses)
    {
        lock (gate)
        {
            statusScript.AddRange(statuses.Select(s => (Func<IResult>)(() => Results.Json(s))));
        }
        return this;
    }

    public FakeRegressionApp StatusAnswer(Func<IResult> answer)
    {
        lock (gate)
        {
            statusScript.Add(answer);
        }
        return this;
    }

    public static IResult Problem(int status, string title, string detail, object? errors = null) =>
        Results.Json(errors is null ? new { title, detail, status } : (object)new { title, detail, status, errors },
            contentType: "application/problem+json", statusCode: status);

    private IResult NextStatus()
    {
        lock (gate)
        {
            if (statusScript.Count == 0)
            {
                return Problem(500, "No script", "the test scripted no status");
            }
            var answer = statusScript[Math.Min(statusIndex, statusScript.Count - 1)];
            statusIndex++;
            return answer();
        }
    }

    private async Task<JsonObject?> RecordAsync(HttpContext context)
    {
        JsonObject? body = null;
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            body = await JsonNode.ParseAsync(context.Request.Body) as JsonObject;
        }
        var key = context.Request.Headers.TryGetValue("X-Api-Key", out var value) ? value.ToString() : null;
        requests.Enqueue(new RecordedRequest(context.Request.Method, context.Request.Path.Value ?? "", key, body));
        return body;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
