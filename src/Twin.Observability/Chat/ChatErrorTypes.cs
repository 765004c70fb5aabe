namespace Twin.Observability.Chat;

/// <summary>The <c>error:{type}</c> tags of failed chats, with the HTTP status each answers.</summary>
public static class ChatErrorTypes
{
    public const string Validation = "validation";
    public const string PayloadTooLarge = "payload_too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string UnknownTwin = "unknown_twin";

    /// <summary>A thing the request names (the chat a feedback is about) does not exist for this caller.</summary>
    public const string NotFound = "not_found";

    /// <summary>A service the request needs (Langfuse, for a score) did not answer; the request may be sent again.</summary>
    public const string Unavailable = "unavailable";
    public const string RateLimited = "rate_limited";
    public const string ContentFilter = "content_filter";
    public const string LlmError = "llm_error";
    public const string LlmTimeout = "llm_timeout";
    public const string Storage = "storage";

    /// <summary>A write collided with a concurrent one (an ETag that moved, a row that appeared); sending again succeeds.</summary>
    public const string Conflict = "conflict";

    /// <summary>
    /// The caller went away before the answer (HTTP 499, nginx's "client closed request"): recorded with its own ledger
    /// status, not as an error, since nothing failed on the app's side.
    /// </summary>
    public const string Cancelled = "cancelled";

    /// <summary>A bug: logged with its exception, traced and answered 500 with the trace id.</summary>
    public const string Internal = "internal";

    /// <summary>The error type of an exception raised inside the pipeline.</summary>
    public static string Of(Exception exception) => exception switch
    {
        ChatFailedException failed => failed.ErrorType,
        Common.StorageUnavailableException => Storage,
        Common.RequestValidationException => Validation,
        Common.ResourceConflictException or Common.PreconditionFailedException => Conflict,
        _ => Internal,
    };

    public static int StatusOf(string type) => type switch
    {
        Validation or ContentFilter => 400,
        Unauthorized => 401,
        Forbidden => 403,
        UnknownTwin or NotFound => 404,
        Conflict => 409,
        PayloadTooLarge => 413,
        UnsupportedMediaType => 415,
        RateLimited => 429,
        LlmError => 502,
        Storage or Unavailable => 503,
        LlmTimeout => 504,
        Cancelled => 499,
        _ => 500,
    };
}
