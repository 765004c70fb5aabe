namespace Twin.Observability.Chat;

/// <summary>
/// A chat that failed in a way the caller should hear about: its error type (tagged on the trace as
/// <c>error:{type}</c>), the status to answer, a message safe to show, and the trace id to quote to support.
/// </summary>
public sealed class ChatFailedException : Exception
{
    public ChatFailedException(string errorType, string message, Exception? inner = null)
        : base(message, inner)
    {
        ErrorType = errorType;
    }

    public string ErrorType { get; }

    public int Status => ChatErrorTypes.StatusOf(ErrorType);

    /// <summary>Set once the failure is recorded on a trace.</summary>
    public string? TraceId { get; internal set; }

    /// <summary>The widget origin allowed to read this answer, when the twin had accepted it before the failure.</summary>
    public string? CorsOrigin { get; internal set; }

    /// <summary>For rate limiting: when the caller may try again.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }
}
