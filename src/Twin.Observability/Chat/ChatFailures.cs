using Twin.Observability.Common;

namespace Twin.Observability.Chat;

/// <summary>What the caller of a chat endpoint hears for an exception: the one mapping from exceptions to chat error types.</summary>
public static class ChatFailures
{
    /// <summary>
    /// The failure to answer for <paramref name="exception"/>; null when the caller's own token cancelled the work
    /// (nobody is left to answer). Anything unrecognised is <see cref="ChatErrorTypes.Internal"/>: a 500 that names
    /// the trace, never the exception's text.
    /// </summary>
    public static ChatFailedException? From(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        ChatFailedException failed => failed,
        StorageUnavailableException => new ChatFailedException(ChatErrorTypes.Storage, "Storage is unavailable; try again shortly.", exception),
        RequestValidationException validation => new ChatFailedException(ChatErrorTypes.Validation, "The chat request is invalid.", exception) { Errors = validation.Errors },
        // A concurrent write won (an ETag moved, a row appeared): the caller's request was fine and will succeed if sent again.
        ResourceConflictException or PreconditionFailedException => new ChatFailedException(ChatErrorTypes.Conflict, "The chat collided with a concurrent change; send it again.", exception)
        {
            RetryAfter = TimeSpan.FromSeconds(1),
        },
        OperationCanceledException when cancellationToken.IsCancellationRequested => null,
        _ => new ChatFailedException(ChatErrorTypes.Internal, "An unexpected error occurred; quote the trace id to support.", exception),
    };
}
