using System.Net;
using System.Text.Json;
using Twin.Testing;
using Twin.Testing.Fakes.Langfuse;
using Xunit;
using static Twin.Functions.Tests.EndToEnd.ChatClient;

namespace Twin.Functions.Tests.EndToEnd;

/// <summary>The playground's prompt routes with Langfuse off: the built-in prompt stands only for the default label.</summary>
[Collection(TwinAppCollection.Name)]
public sealed class OfflinePlaygroundTests(TwinAppFixture app)
{
    [Theory]
    [InlineData("")]
    [InlineData("?label=production")]
    public async Task The_built_in_prompt_is_shown_for_the_default_label(string query)
    {
        var response = await app.Admin.GetAsync($"/api/manage/playground/prompts/twin-system{query}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var prompt = await JsonAsync(response);
        Assert.Equal("twin-system", prompt.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, prompt.GetProperty("version").ValueKind);
    }

    [Theory]
    [InlineData("?label=staging")]
    [InlineData("?label=latest")]
    [InlineData("?version=1")]
    [InlineData("?version=7")]
    public async Task A_label_or_version_that_does_not_exist_is_404(string query)
    {
        await ProblemAssert.IsProblemAsync(await app.Admin.GetAsync($"/api/manage/playground/prompts/twin-system{query}"), HttpStatusCode.NotFound, query);
    }
}

/// <summary>A prompt Langfuse serves in the wrong shape is a Langfuse failure: chats fall back to the built-in prompt.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class MalformedPromptTests : IAsyncLifetime
{
    private FakeLangfuse _langfuse = null!;
    private LocalHostServer _server = null!;
    private HttpClient _user = null!;

    public async Task InitializeAsync()
    {
        _langfuse = await FakeLangfuse.StartAsync();
        _server = await TwinApp.StartAsync(_langfuse.AppSettings());
        _user = _server.CreateClient(TestKeys.User);
    }

    public async Task DisposeAsync()
    {
        _user.Dispose();
        await _server.DisposeAsync();
        await _langfuse.DisposeAsync();
    }

    [Fact]
    public async Task Chats_answer_with_the_built_in_prompt_and_the_bad_prompt_is_fetched_once_per_cache_period()
    {
        _langfuse.ServeMalformedPrompt("twin-system", new { name = "twin-system", version = 3, type = "text", prompt = 42, labels = new[] { "production" } });

        for (var i = 0; i < 3; i++)
        {
            var response = await _user.SendAsync(Message("/api/chat/demo", new { message = "Which tool do you like for tracing?" }));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await JsonAsync(response);
            Assert.False(body.TryGetProperty("promptVersion", out var version) && version.ValueKind != JsonValueKind.Null, body.ToString());
        }

        Assert.Equal(1, _langfuse.PromptFetchCount("twin-system"));
    }
}
