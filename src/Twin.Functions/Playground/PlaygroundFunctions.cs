using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Twin.Functions.Chat;
using Twin.Functions.Features;
using Twin.Functions.Http;
using Twin.Observability.Chat;
using Twin.Observability.Common;
using Twin.Observability.Features;
using Twin.Observability.Playground;
using Twin.Observability.Prompts;

namespace Twin.Functions.Playground;

/// <summary>
/// Prompt playground (API.md): <c>GET /api/manage/playground/prompts</c> lists the prompts chats can use (Langfuse's
/// when configured and reachable, else the built-in ones); <c>/{name}</c> shows one by <c>label</c> or <c>version</c>;
/// <c>POST …/test</c> runs one message under a prompt, model and temperature and answers with the output, usage, cost,
/// scores and trace; <c>POST …/compare</c> runs variants × inputs side by side. Admin only.
/// </summary>
[FeatureGate(FeatureFlags.Playground)]
public sealed class PlaygroundFunctions(ApiHandler api, PromptService prompts, PlaygroundService playground)
{
    // Up to 5 variants with inline prompts and 20 inputs, each with variables.
    private const int MaxBodyBytes = 512 * 1024;

    [Function("ListPrompts")]
    public Task<IResult> ListPrompts(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/playground/prompts")] HttpRequest req, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () => TypedResults.Ok(new { data = await prompts.ListAsync(cancellationToken) }));

    [Function("GetPrompt")]
    public Task<IResult> GetPrompt(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/playground/prompts/{name}")] HttpRequest req, string name, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () =>
        {
            var (label, version) = PromptQuery.Parse(req.Query["label"], req.Query["version"]);
            return TypedResults.Ok(await prompts.FindAsync(name, label, version, cancellationToken)
                ?? throw new ResourceNotFoundException("Prompt", name));
        });

    [Function("TestPrompt")]
    public Task<IResult> Test(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/playground/test")] HttpRequest req, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () =>
        {
            try
            {
                var run = await playground.TestAsync(await JsonBody.ReadAsync<PlaygroundTestRequest>(req, MaxBodyBytes, cancellationToken), cancellationToken);
                TraceHeaders.Write(req.HttpContext.Response, run.TraceId);
                return TypedResults.Ok(run);
            }
            catch (ChatFailedException ex)
            {
                return ChatProblems.From(req.HttpContext.Response, ex);
            }
        });

    [Function("ComparePrompts")]
    public Task<IResult> Compare(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/playground/compare")] HttpRequest req, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () =>
            TypedResults.Ok(await playground.CompareAsync(await JsonBody.ReadAsync<PlaygroundCompareRequest>(req, MaxBodyBytes, cancellationToken), cancellationToken)));
}
