using BenchmarkDotNet.Attributes;
using Twin.Observability.Chat;

namespace Twin.Benchmarks;

/// <summary>
/// One chat through the real <see cref="ChatService"/> and <see cref="ChatPipeline"/> with the offline model and
/// in-memory stores. <c>Tracing=false</c>: no listener, so no spans are created; <c>Tracing=true</c>: the app's
/// TracerProvider records every node span with its Langfuse attributes (no exporter: export runs on a background
/// thread and is not on the request path; <see cref="ExportCpuMeasurement"/> measures it). The difference is what
/// tracing adds per request.
/// </summary>
[MemoryDiagnoser]
public class ChatPipelineBenchmarks : IDisposable
{
    private BenchmarkApp _app = null!;

    [Params(false, true)]
    public bool Tracing { get; set; }

    [GlobalSetup]
    public void Setup() => _app = new BenchmarkApp(Tracing);

    [GlobalCleanup]
    public void Dispose()
    {
        _app.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public Task<ChatOutcome> Chat() => _app.ChatAsync();
}
