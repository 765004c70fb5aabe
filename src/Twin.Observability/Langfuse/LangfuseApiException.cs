namespace Twin.Observability.Langfuse;

/// <summary>Langfuse answered a REST call with an unexpected status or body.</summary>
public sealed class LangfuseApiException(string message, int status) : Exception(message)
{
    public int Status { get; } = status;
}
