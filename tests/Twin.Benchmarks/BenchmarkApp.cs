using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;
using Twin.Observability;
using Twin.Observability.Chat;
using Twin.Observability.Evaluation;
using Twin.Observability.Ledger;
using Twin.Observability.Security;
using Twin.Observability.Twins;

namespace Twin.Benchmarks;

/// <summary>
/// The app's real services (<see cref="ChatService"/>, admission, pipeline, telemetry) with the offline model and
/// in-memory stores, as every benchmark here builds them; <paramref name="settings"/> adds to the configuration
/// (Langfuse keys and host for the export measurement).
/// </summary>
internal sealed class BenchmarkApp : IDisposable
{
    private const string UserKey = "bench-user-key";
    private static readonly ChatInput Input = new() { Message = "Which tool do you like for tracing LLM applications?" };
    private readonly ServiceProvider _services;

    public BenchmarkApp(bool tracing, params KeyValuePair<string, string?>[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([
                new("AzureWebJobsStorage", "UseDevelopmentStorage=true"),
                new("Auth:ApiKeys:0:Name", "bench-user"),
                new("Auth:ApiKeys:0:Role", "User"),
                new("Auth:ApiKeys:0:UserId", "bench-user"),
                new("Auth:ApiKeys:0:Hash", ApiKeyHash.Compute(UserKey)),
                new("Chat:RateLimits:UserPerMinute", "10000000"),
                .. settings,
            ])
            .Build();
        Stores = new InMemoryChatStores(new TwinProfile(
            "bench", "Bench", "I am a benchmark twin.", [.. DemoTwin.Definition.Knowledge!], null, null, [WidgetOrigin],
            DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, "etag"));
        var stores = Stores;
        var services = new ServiceCollection().AddLogging().AddSingleton<IHostEnvironment>(new BenchmarkEnvironment()).AddTwinObservability(configuration);
        services.AddSingleton<ITwinLookup>(stores).AddSingleton<IConversationHistory>(stores).AddSingleton<ILedgerWriter>(stores).AddSingleton<IEvaluationDispatcher>(stores).AddSingleton<Twin.Observability.Experiments.IExperimentArms>(stores);
        _services = services.BuildServiceProvider();
        // Resolving the TracerProvider is what starts listening to the app's ActivitySource: without it no span exists.
        Tracer = tracing ? _services.GetRequiredService<TracerProvider>() : null;
        Chats = _services.GetRequiredService<ChatService>();
    }

    /// <summary>The origin the bench twin's widget allows.</summary>
    public const string WidgetOrigin = "https://bench.example";

    public ChatService Chats { get; }

    public InMemoryChatStores Stores { get; }

    public IServiceProvider Services => _services;

    public TracerProvider? Tracer { get; }

    public Task<ChatOutcome> ChatAsync() =>
        Chats.ChatAsync(
            new ChatRequest
            {
                Channel = ChatChannel.User,
                TwinId = "bench",
                Credential = new ChatCredential(ChatCredentialKind.ApiKey, UserKey),
                ReadBodyAsync = ReadBody,
            },
            CancellationToken.None);

    /// <summary>One widget chat from <paramref name="address"/> as a new visitor; a refusal is thrown as a <see cref="ChatFailedException"/>.</summary>
    public Task<ChatOutcome> WidgetChatAsync(System.Net.IPAddress address) =>
        Chats.ChatAsync(
            new ChatRequest
            {
                Channel = ChatChannel.Widget,
                TwinId = "bench",
                Origin = WidgetOrigin,
                ClientAddress = address,
                ReadBodyAsync = _ => Task.FromResult(new ChatInput { Message = Input.Message, VisitorId = "visitor-" + Guid.NewGuid().ToString("N") }),
            },
            CancellationToken.None);

    public void Dispose()
    {
        Tracer?.Dispose();
        _services.Dispose();
    }

    private static Task<ChatInput> ReadBody(CancellationToken cancellationToken) => Task.FromResult(Input);
}

/// <summary>The host environment a bare service collection lacks; the app's option validators read it.</summary>
internal sealed class BenchmarkEnvironment : IHostEnvironment
{
    public string EnvironmentName { get; set; } = Environments.Development;

    public string ApplicationName { get; set; } = "Twin.Benchmarks";

    public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

    public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
}
