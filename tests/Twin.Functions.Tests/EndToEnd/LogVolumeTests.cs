using System.Net;
using Microsoft.Extensions.Logging;
using Twin.Testing;
using Twin.Testing.Fakes.Langfuse;
using Twin.Testing.Fakes.OpenAI;
using Twin.Testing.Logging;
using Xunit;
using Xunit.Abstractions;
using static Twin.Functions.Tests.EndToEnd.ChatClient;

namespace Twin.Functions.Tests.EndToEnd;

/// <summary>
/// What a successful chat costs in log lines with Langfuse and an LLM configured (the fakes; Langfuse has no prompt, so
/// the built-in one is used): at most two lines at Information or above per chat, none from the HTTP clients or the
/// resilience pipeline, and the prompt fallback once per cache period, not once per chat.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class LogVolumeTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Chats = 10;
    private readonly RecordingLoggerProvider _logs = new();
    private FakeLangfuse _langfuse = null!;
    private FakeOpenAI _llm = null!;
    private LocalHostServer _server = null!;
    private HttpClient _user = null!;

    public async Task InitializeAsync()
    {
        _langfuse = await FakeLangfuse.StartAsync();
        _llm = await FakeOpenAI.StartAsync();
        _server = await TwinApp.StartAsync(
            TwinApp.Settings([
                .. _langfuse.AppSettings(),
                .. _llm.AppSettings("gpt-test")]),
            builder => builder.Logging.AddProvider(_logs));
        _user = _server.CreateClient(TestKeys.User);
    }

    public async Task DisposeAsync()
    {
        _user.Dispose();
        await _server.DisposeAsync();
        await _llm.DisposeAsync();
        await _langfuse.DisposeAsync();
    }

    [Fact]
    public async Task A_successful_chat_logs_at_most_two_lines_at_information()
    {
        var before = _logs.Lines.Count;

        for (var i = 0; i < Chats; i++)
        {
            var response = await _user.SendAsync(Message("/api/chat/demo", new { message = $"Which tool do you like? ({i})" }));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // The exporter's own calls happen in the background; wait until the chats' spans went out, and count them too.
        await Eventually.TrueAsync(() => _langfuse.Spans.Count >= Chats * 10, TimeSpan.FromSeconds(10), "the chats' spans exported");
        var lines = _logs.Lines.Skip(before).Where(l => l.Level >= LogLevel.Information).ToList();
        foreach (var line in lines)
        {
            output.WriteLine(line.ToString());
        }

        Assert.DoesNotContain(lines, l => l.Category.StartsWith("System.Net.Http.HttpClient", StringComparison.Ordinal) || l.Category.StartsWith("Polly", StringComparison.Ordinal));
        Assert.True(lines.Count(l => l.Message.Contains("has no prompt", StringComparison.Ordinal)) <= 1, "the prompt fallback is logged once per cache period");
        Assert.True(lines.Count <= 2 * Chats, $"{lines.Count} lines for {Chats} chats:\n{string.Join('\n', lines)}");
    }
}
