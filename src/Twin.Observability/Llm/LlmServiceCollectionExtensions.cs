using System.ClientModel;
using System.ClientModel.Primitives;
using Azure.AI.OpenAI;
using Azure.Identity;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenAI;
using Twin.Observability.Security;
using Twin.Observability.Tracing;

namespace Twin.Observability.Llm;

public static class LlmServiceCollectionExtensions
{
    public const string HttpClientName = "llm";

    /// <summary>
    /// Registers the one <see cref="IChatClient"/> of the app, chosen by <see cref="LlmOptions"/>: an OpenAI-compatible
    /// server, Azure OpenAI, or the offline responder. Timeouts and retries come from the standard resilience handler
    /// on its HTTP client (the OpenAI library's own retries are off so there is one policy); Microsoft.Extensions.AI's
    /// OpenTelemetry instrumentation makes each call a gen_ai "chat" span on the app's source.
    /// </summary>
    public static IServiceCollection AddTwinLlm(this IServiceCollection services, LlmOptions llm)
    {
        services.AddSingleton<LlmPricing>();
        var attempt = TimeSpan.FromSeconds(llm.TimeoutSeconds);
        services.AddHttpClient(HttpClientName)
            // The OpenAI client puts the error body in its exception's message, which is logged and put on the gen_ai span.
            .RedactUpstreamErrors()
            .AddStandardResilienceHandler(o =>
            {
                o.AttemptTimeout.Timeout = attempt;
                o.TotalRequestTimeout.Timeout = (attempt * (llm.MaxRetries + 1)) + TimeSpan.FromSeconds(5 + (llm.MaxRetries * 2 * llm.RetryDelayMilliseconds / 1000.0));
                o.CircuitBreaker.SamplingDuration = attempt * 2.5;
                // The handler requires at least one attempt; with MaxRetries 0 the predicate below turns retries off.
                o.Retry.MaxRetryAttempts = Math.Max(llm.MaxRetries, 1);
                o.Retry.Delay = TimeSpan.FromMilliseconds(llm.RetryDelayMilliseconds);
                if (llm.MaxRetries == 0)
                {
                    o.Retry.ShouldHandle = _ => ValueTask.FromResult(false);
                }
            });

        services.AddSingleton(sp =>
        {
            var inner = CreateProviderClient(llm, sp.GetRequiredService<IHttpClientFactory>());
            return inner.AsBuilder()
                // Without sensitive data: the messages reach the span through GenerationPayloadChatClient, as JSON made at export.
                .UseOpenTelemetry(sp.GetService<ILoggerFactory>(), TwinTelemetry.SourceName, c => c.EnableSensitiveData = false)
                .Use(client => new GenerationPayloadChatClient(client))
                .Build(sp);
        });
        return services;
    }

    private static IChatClient CreateProviderClient(LlmOptions llm, IHttpClientFactory httpClients)
    {
        if (llm.EffectiveProvider == LlmProvider.Offline)
        {
            return new OfflineChatClient();
        }

        var transport = new HttpClientPipelineTransport(httpClients.CreateClient(HttpClientName));
        var endpoint = new Uri(llm.Endpoint!);
        if (llm.EffectiveProvider == LlmProvider.AzureOpenAI)
        {
            var azureOptions = new AzureOpenAIClientOptions { Transport = transport, RetryPolicy = new ClientRetryPolicy(0), NetworkTimeout = Timeout.InfiniteTimeSpan };
            var azure = string.IsNullOrEmpty(llm.ApiKey)
                ? new AzureOpenAIClient(endpoint, new DefaultAzureCredential(), azureOptions)
                : new AzureOpenAIClient(endpoint, new ApiKeyCredential(llm.ApiKey), azureOptions);
            return azure.GetChatClient(llm.Model).AsIChatClient();
        }

        var options = new OpenAIClientOptions { Endpoint = endpoint, Transport = transport, RetryPolicy = new ClientRetryPolicy(0), NetworkTimeout = Timeout.InfiniteTimeSpan };
        // Local servers (Ollama, vLLM) often need no key, but the client requires a credential.
        return new OpenAI.Chat.ChatClient(llm.Model, new ApiKeyCredential(string.IsNullOrEmpty(llm.ApiKey) ? "no-key" : llm.ApiKey), options).AsIChatClient();
    }
}
