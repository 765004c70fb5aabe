using System.ClientModel;
using Polly.Timeout;

namespace Twin.Observability.Chat;

/// <summary>Classifies a failed LLM call into the chat error types: timeout, content filter, or a plain LLM error.</summary>
internal static class LlmFailures
{
    public static ChatFailedException Classify(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is TimeoutRejectedException or TimeoutException or OperationCanceledException)
            {
                return new ChatFailedException(ChatErrorTypes.LlmTimeout, "The model did not answer in time.", exception);
            }

            if (e is ClientResultException { Status: 400 } result && result.Message.Contains("content_filter", StringComparison.OrdinalIgnoreCase))
            {
                return new ChatFailedException(ChatErrorTypes.ContentFilter, "The message was blocked by the model's content filter.", exception);
            }
        }

        return new ChatFailedException(ChatErrorTypes.LlmError, "The model failed to answer.", exception);
    }

    /// <summary>The HTTP status the LLM answered, when it answered at all: what a log may say about the failure.</summary>
    public static int? StatusOf(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case ClientResultException { Status: > 0 } result:
                    return result.Status;
                case HttpRequestException { StatusCode: { } status }:
                    return (int)status;
            }
        }

        return null;
    }
}
