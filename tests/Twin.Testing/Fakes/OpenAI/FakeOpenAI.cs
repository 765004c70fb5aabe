using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Twin.Testing.Fakes.OpenAI;

/// <summary>
/// An OpenAI-compatible chat-completions server on a free loopback port that checks what it receives: a wrong key is
/// 401, a body that breaks the contract is 400 and lands in <see cref="InvalidRequests"/> (assert it stays empty).
/// Thread-safe; mode, responder and usage may change while requests are in flight.
/// <code>await using var llm = await FakeOpenAI.StartAsync();</code>
/// </summary>
public sealed class FakeOpenAI : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly List<FakeChatRequest> _requests = [];
    private readonly List<FakeInvalidRequest> _invalid = [];
    private readonly Dictionary<FakeOpenAIMode, int> _counts = [];
    private WebApplication _app = null!;
    private volatile FakeOpenAIMode _mode;
    private int _completions;

    private FakeOpenAI(string apiKey)
    {
        ApiKey = apiKey;
    }

    /// <summary>The OpenAI endpoint clients take: <c>http://127.0.0.1:PORT/v1</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>The key a request must present as <c>Authorization: Bearer</c>; <c>sk-fake</c> unless the test chose one.</summary>
    public string ApiKey { get; }

    public FakeOpenAIMode Mode
    {
        get => _mode;
        set => _mode = value;
    }

    /// <summary>The app settings that point an app's LLM at this fake, asking for <paramref name="model"/>.</summary>
    public (string Key, string? Value)[] AppSettings(string model) =>
    [
        ("Llm:Endpoint", BaseUrl),
        ("Llm:ApiKey", ApiKey),
        ("Llm:Model", model),
    ];

    /// <summary>
    /// The mode for one valid request, from what it asks (a model that is down while others answer); a null answer, or
    /// no function (the default), leaves <see cref="Mode"/>. Counts stay under the mode in force when it arrived.
    /// </summary>
    public Func<FakeChatRequest, FakeOpenAIMode?>? ModeFor { get; set; }

    /// <summary>How long <see cref="FakeOpenAIMode.Slow"/> waits before answering.</summary>
    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The assistant's reply to a valid request. Default: <c>"Fake reply to: " + last user message</c>.</summary>
    public Func<FakeChatRequest, string> Responder { get; set; } = request => "Fake reply to: " + request.LastUserMessage;

    /// <summary>
    /// The model the answer names, from the requested one; default: the same. OpenAI answers with a dated name
    /// (<c>gpt-4o-mini-2024-07-18</c> for <c>gpt-4o-mini</c>).
    /// </summary>
    public Func<string, string> ResponseModel { get; set; } = requested => requested;

    /// <summary>Fixed token counts to report; null (the default) estimates one token per word.</summary>
    public FakeUsage? Usage { get; set; }

    /// <summary>Every valid request, in arrival order, whatever the mode answered.</summary>
    public IReadOnlyList<FakeChatRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Requests refused with 400 for breaking the chat-completions contract.</summary>
    public IReadOnlyList<FakeInvalidRequest> InvalidRequests
    {
        get
        {
            lock (_gate)
            {
                return [.. _invalid];
            }
        }
    }

    /// <summary>Every request to the chat-completions endpoint, including unauthorized and invalid ones.</summary>
    public int RequestCount
    {
        get
        {
            lock (_gate)
            {
                return _counts.Values.Sum();
            }
        }
    }

    /// <summary>Requests that arrived while <see cref="Mode"/> was <paramref name="mode"/>.</summary>
    public int RequestCountIn(FakeOpenAIMode mode)
    {
        lock (_gate)
        {
            return _counts.GetValueOrDefault(mode);
        }
    }

    /// <param name="apiKey">The key to accept: tests that look for leaked credentials pass a canary of their own.</param>
    public static async Task<FakeOpenAI> StartAsync(string apiKey = "sk-fake")
    {
        ArgumentException.ThrowIfNullOrEmpty(apiKey);
        var fake = new FakeOpenAI(apiKey);
        // Cast to Delegate: as a RequestDelegate the handler's IResult would be discarded and every answer a bare 200.
        var (app, address) = await LoopbackWebApp.StartAsync(app => app.MapPost("/v1/chat/completions", (Delegate)fake.CompleteAsync));
        fake._app = app;
        fake.BaseUrl = address + "/v1";
        return fake;
    }

    /// <summary>Forgets every request and count, for tests that share one fake.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _requests.Clear();
            _invalid.Clear();
            _counts.Clear();
        }
    }

    private async Task<IResult> CompleteAsync(HttpContext context)
    {
        var mode = Mode;
        lock (_gate)
        {
            _counts[mode] = _counts.GetValueOrDefault(mode) + 1;
        }

        if (!AuthenticationHeaderValue.TryParse(context.Request.Headers.Authorization, out var auth)
            || !auth.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase)
            || auth.Parameter != ApiKey)
        {
            return OpenAIErrors.InvalidApiKey(auth?.Parameter);
        }

        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        FakeChatRequest request;
        try
        {
            request = ChatRequestValidator.Parse(body);
        }
        catch (InvalidChatRequestException ex)
        {
            lock (_gate)
            {
                _invalid.Add(new FakeInvalidRequest(ex.Message, ex.Param, ex.Code, body));
            }

            return OpenAIErrors.Error(StatusCodes.Status400BadRequest, ex.Message, "invalid_request_error", ex.Param, ex.Code);
        }

        lock (_gate)
        {
            _requests.Add(request);
        }

        switch (ModeFor?.Invoke(request) ?? mode)
        {
            case FakeOpenAIMode.ServerError:
                return OpenAIErrors.ServerError();
            case FakeOpenAIMode.RateLimited:
                context.Response.Headers.RetryAfter = "1";
                return OpenAIErrors.RateLimited();
            case FakeOpenAIMode.ContentFilter:
                return OpenAIErrors.ContentFiltered();
            case FakeOpenAIMode.EchoCredentialsInError:
                return OpenAIErrors.EchoingCredentials(context.Request.Headers.Authorization.ToString(), context.Request.Headers["api-key"].ToString());
            case FakeOpenAIMode.Malformed:
                return Results.Text("<html><body>502 Bad Gateway</body></html> {\"choices\": [", "application/json");
            case FakeOpenAIMode.Slow:
                using (var wait = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _app.Lifetime.ApplicationStopping))
                {
                    try
                    {
                        await Task.Delay(SlowDelay, wait.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        // The client gave up (its timeout or cancellation), or the fake is stopping: drop the connection
                        // rather than answer nothing with a 200.
                        context.Abort();
                        return Results.Empty;
                    }
                }

                break;
        }

        var reply = Responder(request);
        var usage = Usage ?? ChatCompletionBody.EstimateUsage(request, reply);
        var id = $"chatcmpl-fake{Interlocked.Increment(ref _completions)}";
        context.Response.Headers["x-request-id"] = $"req_{id}";
        return Results.Text(ChatCompletionBody.Create(id, ResponseModel(request.Model), reply, usage, DateTimeOffset.UtcNow).ToJsonString(), "application/json");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
