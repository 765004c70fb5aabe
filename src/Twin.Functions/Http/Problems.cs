using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Twin.Functions.Http;

/// <summary>RFC 9457 problem responses (<c>application/problem+json</c>), the only error shape the API returns.</summary>
public static class Problems
{
    public static ProblemHttpResult Status(int status, string title, string? detail = null) =>
        TypedResults.Problem(Details(status, title, detail));

    /// <summary>503 for storage that is down or refuses the app: the caller may retry; <c>errorType</c> is <c>storage</c>.</summary>
    public static ProblemHttpResult StorageUnavailable(string traceId)
    {
        var problem = Details(StatusCodes.Status503ServiceUnavailable, "Storage is unavailable.", "Try again shortly.");
        problem.Extensions["errorType"] = "storage";
        problem.Extensions["traceId"] = traceId;
        return TypedResults.Problem(problem);
    }

    public static ValidationProblem Validation(IReadOnlyDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(
            errors.ToDictionary(e => e.Key, e => e.Value),
            detail: "One or more fields are invalid; see errors.",
            title: "The request is invalid.",
            type: "https://httpstatuses.io/400");

    private static ProblemDetails Details(int status, string title, string? detail) => new()
    {
        Status = status,
        Title = title,
        Detail = detail,
        Type = $"https://httpstatuses.io/{status}",
    };
}
