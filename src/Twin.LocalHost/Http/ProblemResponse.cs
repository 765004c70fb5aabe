using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Twin.LocalHost.Http;

/// <summary>The host's own error answers (the worker's are forwarded as they are): RFC 9457 problem details.</summary>
public static class ProblemResponse
{
    public static async Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json";
        await JsonSerializer.SerializeAsync(context.Response.Body, new Dictionary<string, object>
        {
            ["type"] = $"https://httpstatuses.io/{status}",
            ["title"] = title,
            ["status"] = status,
            ["detail"] = detail,
        }, cancellationToken: context.RequestAborted).ConfigureAwait(false);
    }
}
