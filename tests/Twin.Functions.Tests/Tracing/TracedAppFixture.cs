using Twin.Testing;
using Twin.Testing.Fakes.Langfuse;
using Twin.Testing.Fakes.OpenAI;
using Xunit;

namespace Twin.Functions.Tests.Tracing;

/// <summary>The app on Azurite with Langfuse and the LLM pointed at the fakes; exports are batched every 100 ms.</summary>
public sealed class TracedAppFixture : IAsyncLifetime
{
    public const string Model = "gpt-test";
    private readonly AzuriteFixture _azurite = new();

    public FakeLangfuse Langfuse { get; private set; } = null!;

    public FakeOpenAI Llm { get; private set; } = null!;

    public LocalHostServer Server { get; private set; } = null!;

    public HttpClient User { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        Langfuse = await FakeLangfuse.StartAsync();
        Llm = await FakeOpenAI.StartAsync();
        Server = await TwinApp.StartAsync([
            .. Langfuse.AppSettings(),
            ("LANGFUSE_RELEASE", "test-release"),
            ("LANGFUSE_TRACING_ENVIRONMENT", "test"),
            ("Langfuse:ExportTimeoutMilliseconds", "1000"),
            .. Llm.AppSettings(Model),
            ("Llm:TimeoutSeconds", "2"),
            ("Llm:MaxRetries", "1"),
            ("Llm:RetryDelayMilliseconds", "50"),
            ($"Llm:Prices:{Model}:InputPerMillionUsd", "1.5"),
            ($"Llm:Prices:{Model}:OutputPerMillionUsd", "2")]);
        User = Server.CreateClient(TestKeys.User);
    }

    public async Task DisposeAsync()
    {
        User.Dispose();
        await Server.DisposeAsync();
        await Llm.DisposeAsync();
        await Langfuse.DisposeAsync();
        await _azurite.DisposeAsync();
    }
}
