using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Twin.Testing.Fakes.OpenAI;

/// <summary>Error answers in the shape OpenAI (and Azure OpenAI) send, which client libraries parse into exceptions.</summary>
internal static class OpenAIErrors
{
    public static IResult Error(int status, string message, string? type, string? param, string? code) =>
        Json(status, new JsonObject { ["error"] = ErrorObject(message, type, param, code) });

    public static IResult InvalidApiKey(string? presented) => Error(
        StatusCodes.Status401Unauthorized,
        presented is null
            ? "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
            : "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.",
        "invalid_request_error",
        null,
        presented is null ? null : "invalid_api_key");

    public static IResult ServerError() => Error(
        StatusCodes.Status500InternalServerError,
        "The server had an error while processing your request. Sorry about that!",
        "server_error",
        null,
        null);

    public static IResult RateLimited() => Error(
        StatusCodes.Status429TooManyRequests,
        "Rate limit reached for requests. Please try again in 1s.",
        "requests",
        null,
        "rate_limit_exceeded");

    public static IResult EchoingCredentials(string authorization, string apiKey) => Error(
        StatusCodes.Status502BadGateway,
        $"Upstream rejected the request. Received headers: Authorization: {authorization}; api-key: {apiKey}. Retry with Authorization={authorization}",
        "server_error",
        null,
        "bad_gateway");

    // Azure OpenAI's answer when its content filter blocks a prompt: type is null, the details are in innererror.
    public static IResult ContentFiltered()
    {
        var error = ErrorObject(
            "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry. To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766",
            null,
            "prompt",
            "content_filter");
        error["status"] = 400;
        error["innererror"] = new JsonObject
        {
            ["code"] = "ResponsibleAIPolicyViolation",
            ["content_filter_result"] = new JsonObject
            {
                ["hate"] = new JsonObject { ["filtered"] = false, ["severity"] = "safe" },
                ["self_harm"] = new JsonObject { ["filtered"] = false, ["severity"] = "safe" },
                ["sexual"] = new JsonObject { ["filtered"] = false, ["severity"] = "safe" },
                ["violence"] = new JsonObject { ["filtered"] = true, ["severity"] = "high" },
            },
        };
        return Json(StatusCodes.Status400BadRequest, new JsonObject { ["error"] = error });
    }

    private static IResult Json(int status, JsonNode body) =>
        Results.Text(body.ToJsonString(), "application/json", statusCode: status);

    private static JsonObject ErrorObject(string message, string? type, string? param, string? code) => new()
    {
        ["message"] = message,
        ["type"] = type,
        ["param"] = param,
        ["code"] = code,
    };
}
