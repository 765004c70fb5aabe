using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Twin.Functions.Http;
using Twin.Observability.Chat;

namespace Twin.Functions.Chat;

/// <summary>
/// The problem answer of a failed chat, the one place the chat error taxonomy becomes HTTP: status by error type, the
/// trace id in body and header, <c>Retry-After</c> when rate limited or unavailable, <c>WWW-Authenticate</c> when a sign-in is missing.
/// </summary>
public static class ChatProblems
{
    /// <summary>The schemes the user channel accepts, as its 401 announces them.</summary>
    public const string AuthenticateSchemes = "Bearer, ApiKey";

    /// <param name="authenticateSchemes">Announced on a 401 (the user channel's schemes); null where no scheme applies (a share link's token is in its URL).</param>
    public static IResult From(HttpResponse response, ChatFailedException failure, string? authenticateSchemes = null)
    {
        TraceHeaders.Write(response, failure.TraceId);
        if (failure.Status == StatusCodes.Status401Unauthorized && authenticateSchemes is not null)
        {
            response.Headers.WWWAuthenticate = authenticateSchemes;
        }

        if (failure.RetryAfter is { } wait)
        {
            ResponseHeaders.RetryAfter(response, wait);
        }
        else if (failure.Status == StatusCodes.Status503ServiceUnavailable)
        {
            ResponseHeaders.RetryAfter(response, ResponseHeaders.UnavailableRetry);
        }

        var problem = failure.Errors is { } errors
            ? new HttpValidationProblemDetails(errors.ToDictionary(e => e.Key, e => e.Value))
            : new ProblemDetails();
        problem.Status = failure.Status;
        problem.Title = Title(failure.ErrorType);
        problem.Detail = failure.Message;
        problem.Type = $"https://httpstatuses.io/{failure.Status}";
        // Refusals before a trace exists (a preflight, feedback) have no trace id: absent, not null.
        if (failure.TraceId is not null)
        {
            problem.Extensions["traceId"] = failure.TraceId;
        }

        problem.Extensions["errorType"] = failure.ErrorType;
        return TypedResults.Problem(problem);
    }

    private static string Title(string errorType) => errorType switch
    {
        ChatErrorTypes.Validation => "The request is invalid.",
        ChatErrorTypes.PayloadTooLarge => "The request body is too large.",
        ChatErrorTypes.UnsupportedMediaType => "Unsupported media type.",
        ChatErrorTypes.Unauthorized => "Authentication required.",
        ChatErrorTypes.Forbidden => "Forbidden.",
        ChatErrorTypes.UnknownTwin => "Twin not found.",
        ChatErrorTypes.Conflict => "Conflict.",
        ChatErrorTypes.RateLimited => "Too many requests.",
        ChatErrorTypes.ContentFilter => "Blocked by the content filter.",
        ChatErrorTypes.LlmTimeout => "The model timed out.",
        ChatErrorTypes.Storage => "Storage is unavailable.",
        ChatErrorTypes.Internal => "Internal error.",
        _ => "The model failed.",
    };
}
