using Microsoft.Extensions.DependencyInjection;
using Twin.Observability.Ledger;
using Twin.Testing;
using Twin.Testing.Fakes.Langfuse;
using Twin.Testing.Fakes.OpenAI;
using Xunit;
using static Twin.Functions.Tests.EndToEnd.ChatClient;

namespace Twin.Functions.Tests.Tracing;

/// <summary>
/// A caller who hangs up while the model is still answering: the chat is recorded as <c>cancelled</c> (ledger row
/// with 499, root span at level WARNING), not lost and not counted as an error.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ChatCancellationTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_client_that_disconnects_mid_generation_leaves_a_cancelled_row_and_a_warning_trace()
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        await using var llm = await FakeOpenAI.StartAsync();
        // The model never answers in time, and the app would wait for it far longer than the test does.
        llm.Mode = FakeOpenAIMode.Slow;
        llm.SlowDelay = TimeSpan.FromMinutes(2);
        await using var server = await TwinApp.StartAsync([
            ("AzureWebJobsStorage", AzuriteFixture.NewAccountConnectionString()),
            .. langfuse.AppSettings(),
            ("Langfuse:ExportTimeoutMilliseconds", "1000"),
            .. llm.AppSettings("gpt-test"),
            ("Llm:TimeoutSeconds", "120"),
            ("Llm:MaxRetries", "0")]);
        using var user = server.CreateClient(TestKeys.User);
        const string traceId = "7c0e2d6a4b1f4e3a9d8c7b6a5f4e3d2c";
        using var hangUp = new CancellationTokenSource();

        var sending = user.SendAsync(Message("/api/chat/demo", new { message = "Tell me a long story." }, ("X-Trace-Id", traceId)), hangUp.Token);
        await Eventually.TrueAsync(() => llm.RequestCount > 0, Wait, "the model asked");
        await hangUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);

        var ledger = server.Services.GetRequiredService<LedgerStore>();
        LedgerEntry? row = null;
        await Eventually.TrueAsync(async () => (row = await ledger.FindAsync(traceId, DateTimeOffset.UtcNow, default)) is not null, Wait, "the cancelled chat's ledger row");
        Assert.Equal(("cancelled", 499, "cancelled", TestKeys.UserId), (row!.Status, row.HttpStatus, row.ErrorType, row.UserId));

        await langfuse.WaitForTraceAsync(traceId, s => s.Any(x => x.Name == "chat"), Wait);
        var root = langfuse.RootOf(traceId);
        Assert.Equal("WARNING", root.Attribute("langfuse.observation.level"));
        var tags = root.Attribute("langfuse.trace.tags") is IReadOnlyList<object?> list ? list.Select(t => (string)t!).ToList() : [];
        Assert.Contains("cancelled", tags);
        Assert.DoesNotContain(tags, t => t.StartsWith("error:", StringComparison.Ordinal));
        Assert.Equal("WARNING", langfuse.ChildrenOf(root).Single(s => s.Name == "generate").Attribute("langfuse.observation.level"));
    }
}
