using System.ClientModel;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Twin.Observability.Llm;
using Twin.Testing.Fakes.OpenAI;
using Xunit;

namespace Twin.Observability.Tests.Llm;

public sealed class LlmProviderTests
{
    private static IChatClient Build(LlmOptions options) =>
        new ServiceCollection().AddLogging().AddTwinLlm(options).BuildServiceProvider().GetRequiredService<IChatClient>();

    [Fact]
    public async Task The_openai_compatible_provider_talks_to_the_configured_server_through_one_retry_policy()
    {
        await using var llm = await FakeOpenAI.StartAsync();
        var client = Build(new LlmOptions { Endpoint = llm.BaseUrl, ApiKey = llm.ApiKey, Model = "m1", MaxRetries = 1, RetryDelayMilliseconds = 10 });

        var reply = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "ping")]);
        llm.Mode = FakeOpenAIMode.ServerError;
        await Assert.ThrowsAnyAsync<Exception>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, "ping")]));

        Assert.Equal("Fake reply to: ping", reply.Text);
        Assert.Equal("m1", llm.Requests[0].Model);
        // One attempt plus MaxRetries=1 from the resilience handler; the OpenAI library's own retries are off.
        Assert.Equal(2, llm.RequestCountIn(FakeOpenAIMode.ServerError));
    }

    [Fact]
    public async Task The_azure_openai_provider_loads_and_fails_like_any_unreachable_endpoint()
    {
        var client = Build(new LlmOptions { Provider = LlmProvider.AzureOpenAI, Endpoint = "http://127.0.0.1:9", ApiKey = "k", Model = "deployment", MaxRetries = 0 });

        var error = await Assert.ThrowsAnyAsync<Exception>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, "ping")]));

        Assert.True(error is HttpRequestException or ClientResultException || error.InnerException is HttpRequestException, error.ToString());
    }

    [Fact]
    public async Task The_offline_provider_answers_from_the_snippets_it_is_given_and_says_so()
    {
        var client = Build(new LlmOptions());
        var options = new ChatOptions { RawRepresentationFactory = OfflineKnowledge.For(["I bake bread."]) };

        var withKnowledge = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Do you bake?")], options);
        var without = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Do you bake?")]);

        Assert.Equal("I bake bread.", withKnowledge.Text);
        Assert.Equal(OfflineChatClient.ModelId, withKnowledge.ModelId);
        Assert.True(withKnowledge.Usage!.InputTokenCount > 0);
        Assert.Contains("don't have anything in my notes", without.Text, StringComparison.Ordinal);
    }
}
