namespace Twin.Observability.Langfuse;

/// <summary>Langfuse answered a REST call with an unexpected status or body.</summary>
public sealed class LangfuseApiException(string message, int status) : Exception(message)
{
    public int Status { get; } = status;

    /// <summary>Whether trying again later may succeed: no answer, a timeout, throttling or a server error. A 4xx otherwise will not change by retrying.</summary>
    public bool IsTransient => Status is 0 or 408 or 429 or >= 500;
}
