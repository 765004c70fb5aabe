using System.Text.Json.Nodes;

namespace Twin.Testing.Fakes.OpenAI;

/// <summary>The standard non-streaming <c>chat.completion</c> object, with one choice that stops normally.</summary>
internal static class ChatCompletionBody
{
    public static JsonObject Create(string id, string model, string content, FakeUsage usage, DateTimeOffset created)
    {
        var body = Body(id, model, content, usage, created);
        if (usage.CachedTokens is { } cached)
        {
            body["usage"]!["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = cached };
        }

        return body;
    }

    private static JsonObject Body(string id, string model, string content, FakeUsage usage, DateTimeOffset created) => new()
    {
        ["id"] = id,
        ["object"] = "chat.completion",
        ["created"] = created.ToUnixTimeSeconds(),
        ["model"] = model,
        ["choices"] = new JsonArray
        {
            new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content, ["refusal"] = null },
                ["logprobs"] = null,
                ["finish_reason"] = "stop",
            },
        },
        ["usage"] = new JsonObject
        {
            ["prompt_tokens"] = usage.PromptTokens,
            ["completion_tokens"] = usage.CompletionTokens,
            ["total_tokens"] = usage.TotalTokens,
        },
        ["system_fingerprint"] = "fp_fake",
    };

    /// <summary>A deterministic stand-in for a tokenizer: one token per whitespace-separated word.</summary>
    public static FakeUsage EstimateUsage(FakeChatRequest request, string reply) =>
        new(request.Messages.Sum(m => Words(m.Text)), Words(reply));

    private static int Words(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
}
