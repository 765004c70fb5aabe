using BenchmarkDotNet.Attributes;
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
/// One chat through the real <see cref="ChatService"/> and <see cref="ChatPipeline"/> with the offline model and
/// in-memory stores. <c>Tracing=false</c>: no listener, so no spans are created; <c>Tracing=true</c>: the app's
/// TracerProvider records every node span with its Langfuse attributes (export runs on a background thread and is
/// not on the request path). The difference is what tracing adds per request.
/// </summary>
[MemoryDiagnoser]
public class ChatPipelineBenchmarks
{
    private const string UserKey = "bench-user-key";
    private static readonly ChatInput Input = new() { Message = "Which tool do you like for tracing LLM applications?" };
    private ServiceProvider _services = null!;
    private ChatService _chat = null!;
    private TracerProvider? _tracer;

    [Params(false, true)]
    public bool Tracing { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([
                new("AzureWebJobsStorage", "UseDevelopmentStorage=true"),
                new("Auth:ApiKeys:0:Name", "bench-user"),
                new("Auth:ApiKeys:0:Role", "User"),
                new("Auth:ApiKeys:0:UserId", "bench-user"),
                new("Auth:ApiKeys:0:Hash", ApiKeyHash.Compute(UserKey)),
                new("Chat:RateLimits:UserPerMinute", "10000000"),
            ])
            .Build();
        var stores = new InMemoryChatStores(new TwinProfile(
            "bench", "Bench", "I am a benchmark twin.", [.. DemoTwin.Definition.Knowledge!], null, null, [],
            DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, "etag"));
        var services = new ServiceCollection().AddLogging().AddSingleton<IHostEnvironment>(new BenchmarkEnvironment()).AddTwinObservability(configuration);
        services.AddSingleton<ITwinLookup>(stores).AddSingleton<IConversationHistory>(stores).AddSingleton<ILedgerWriter>(stores).AddSingleton<IEvaluationDispatcher>(stores);
        _services = services.BuildServiceProvider();
        _tracer = Tracing ? _services.GetRequiredService<TracerProvider>() : null;
        _chat = _services.GetRequiredService<ChatService>();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _tracer?.Dispose();
        _services.Dispose();
    }

    [Benchmark]
    public Task<ChatOutcome> Chat() =>
        _chat.ChatAsync(
            new ChatRequest
            {
                Channel = ChatChannel.User,
                TwinId = "bench",
                Credential = new ChatCredential(ChatCredentialKind.ApiKey, UserKey),
                ReadBodyAsync = ReadBody,
            },
            CancellationToken.None);

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
