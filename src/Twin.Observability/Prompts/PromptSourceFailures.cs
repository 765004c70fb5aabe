using System.Text.Json;
using Twin.Observability.Langfuse;

namespace Twin.Observability.Prompts;

/// <summary>What counts as the prompt source failing (as opposed to a bug): then the cache or the built-in prompt answers.</summary>
internal static class PromptSourceFailures
{
    public static bool IsSourceFailure(Exception ex) =>
        // The resilience handler gives up with Polly's rejections (attempt timeout, open circuit), not HttpRequestException.
        ex is HttpRequestException or OperationCanceledException or TimeoutException or LangfuseApiException or JsonException
            or Polly.ExecutionRejectedException or PromptUnavailableException;
}
