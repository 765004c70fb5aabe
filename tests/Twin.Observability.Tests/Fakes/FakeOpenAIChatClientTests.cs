using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using Twin.Testing.Fakes.OpenAI;
using Xunit;
using ChatFinishReason = Microsoft.Extensions.AI.ChatFinishReason;
using ChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace Twin.Observability.Tests.Fakes;

/// <summary>The fake OpenAI serves the real OpenAI client through Microsoft.Extensions.AI, as the app will use it.</summary>
public sealed class FakeOpenAIChatClientTests
{
    private static readonly ChatMessage[] Conversation =
    [
        new(ChatRole.System, "You are Ada, a digital twin."),
        new(ChatRole.User, "What did you work on?"),
    ];

    [Fact]
    public async Task A_chat_gets_the_responder_text_and_usage_and_the_fake_records_the_messages()
    {
        await using var llm = await FakeOpenAI.StartAsync();
        llm.Responder = request => $"[{request.Model}] {request.Instructions} / {request.LastUserMessage}";
        using var client = ClientFor(llm);

        var response = await client.GetResponseAsync(Conversation, new ChatOptions { Temperature = 0.2f });

        Assert.Equal("[gpt-fake] You are Ada, a digital twin. / What did you work on?", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal("gpt-fake", response.ModelId);
        // One token per word: 6 + 5 words in, 13 words out.
        Assert.Equal(11, response.Usage?.InputTokenCount);
        Assert.Equal(13, response.Usage?.OutputTokenCount);
        Assert.Equal(24, response.Usage?.TotalTokenCount);

        var request = Assert.Single(llm.Requests);
        Assert.Equal("gpt-fake", request.Model);
        Assert.Equal(
            [new FakeChatMessage("system", "You are Ada, a digital twin."), new FakeChatMessage("user", "What did you work on?")],
            request.Messages);
        Assert.Equal(0.2, request.Temperature!.Value, 5);
        Assert.Empty(llm.InvalidRequests);
        Assert.Equal(1, llm.RequestCountIn(FakeOpenAIMode.Normal));
    }

    [Fact]
    public async Task Fixed_usage_is_reported_as_set_and_the_default_reply_echoes_the_user()
    {
        await using var llm = await FakeOpenAI.StartAsync();
        llm.Usage = new FakeUsage(PromptTokens: 1234, CompletionTokens: 56);
        using var client = ClientFor(llm);

        var response = await client.GetResponseAsync(Conversation);

        Assert.Equal("Fake reply to: What did you work on?", response.Text);
        Assert.Equal(1234, response.Usage?.InputTokenCount);
        Assert.Equal(56, response.Usage?.OutputTokenCount);
    }

    [Theory]
    [InlineData(FakeOpenAIMode.ServerError, 500)]
    [InlineData(FakeOpenAIMode.RateLimited, 429)]
    [InlineData(FakeOpenAIMode.ContentFilter, 400)]
    public async Task Error_modes_make_the_client_throw_with_the_status(FakeOpenAIMode mode, int status)
    {
        await using var llm = await FakeOpenAI.StartAsync();
        llm.Mode = mode;
        using var client = ClientFor(llm);

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.GetResponseAsync(Conversation));

        Assert.Equal(status, error.Status);
        Assert.Equal(1, llm.RequestCountIn(mode));
        Assert.Single(llm.Requests);
        Assert.Empty(llm.InvalidRequests);
        if (mode == FakeOpenAIMode.ContentFilter)
        {
            Assert.Contains("content_filter", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_makes_the_client_throw()
    {
        await using var llm = await FakeOpenAI.StartAsync();
        llm.Mode = FakeOpenAIMode.Malformed;
        using var client = ClientFor(llm);

        await Assert.ThrowsAnyAsync<Exception>(() => client.GetResponseAsync(Conversation));
        Assert.Equal(1, llm.RequestCountIn(FakeOpenAIMode.Malformed));
    }

    [Fact]
    public async Task A_wrong_key_is_401_and_nothing_is_recorded()
    {
        await using var llm = await FakeOpenAI.StartAsync();
        using var client = ClientFor(llm, apiKey: "sk-wrong");

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.GetResponseAsync(Conversation));

        Assert.Equal(401, error.Status);
        Assert.Contains("invalid_api_key", error.Message, StringComparison.Ordinal);
        Assert.Empty(llm.Requests);
        Assert.Equal(1, llm.RequestCount);
    }

    [Fact]
    public async Task A_slow_answer_is_abandoned_when_the_caller_cancels()
    {
        await using var llm = await FakeOpenAI.StartAsync();
        llm.Mode = FakeOpenAIMode.Slow;
        llm.SlowDelay = TimeSpan.FromSeconds(30);
        using var client = ClientFor(llm);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var started = DateTime.UtcNow;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetResponseAsync(Conversation, cancellationToken: cancel.Token));

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
        Assert.Equal(1, llm.RequestCountIn(FakeOpenAIMode.Slow));
    }

    [Fact]
    public async Task A_short_slow_delay_still_answers_normally()
    {
        await using var llm = await FakeOpenAI.StartAsync();
        llm.Mode = FakeOpenAIMode.Slow;
        llm.SlowDelay = TimeSpan.FromMilliseconds(100);
        using var client = ClientFor(llm);

        var response = await client.GetResponseAsync(Conversation);

        Assert.Equal("Fake reply to: What did you work on?", response.Text);
    }

    private static IChatClient ClientFor(FakeOpenAI llm, string? apiKey = null)
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = new Uri(llm.BaseUrl),
            // The client retries 429 and 5xx itself; tests count single requests and must stay fast.
            RetryPolicy = new ClientRetryPolicy(0),
            NetworkTimeout = TimeSpan.FromSeconds(10),
        };
        return new ChatClient("gpt-fake", new ApiKeyCredential(apiKey ?? llm.ApiKey), options).AsIChatClient();
    }
}
