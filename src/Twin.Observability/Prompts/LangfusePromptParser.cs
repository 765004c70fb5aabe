using System.Text.Json;
using Twin.Observability.Langfuse;

namespace Twin.Observability.Prompts;

/// <summary>
/// Reads Langfuse's <c>Prompt</c> (a <c>TextPrompt</c> or <c>ChatPrompt</c>, told apart by <c>type</c>). Every field
/// is checked before use: a prompt of the wrong shape is a <see cref="LangfuseApiException"/>, a Langfuse failure
/// like any other, so callers fall back instead of failing the chat.
/// </summary>
internal static class LangfusePromptParser
{
    public static PromptTemplate Parse(JsonElement prompt)
    {
        if (prompt.ValueKind != JsonValueKind.Object)
        {
            throw Malformed($"the answer is JSON {prompt.ValueKind}, not an object");
        }

        var type = prompt.TryGetProperty("type", out var t) ? t.ValueKind == JsonValueKind.String ? t.GetString() : throw Malformed("type is not a string") : "text";
        var isChat = type switch
        {
            "chat" => true,
            "text" => false,
            _ => throw Malformed($"type '{type}' is neither text nor chat"),
        };
        var body = prompt.TryGetProperty("prompt", out var p) ? p : throw Malformed("prompt is missing");
        return new PromptTemplate(
            String(prompt, "name"),
            Version(prompt),
            isChat ? PromptKind.Chat : PromptKind.Text,
            isChat ? null : body.ValueKind == JsonValueKind.String ? body.GetString() : throw Malformed("prompt of a text prompt is not a string"),
            isChat ? Messages(body) : [],
            Config(prompt),
            Labels(prompt),
            PromptSource.Langfuse);
    }

    private static List<PromptMessage> Messages(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Array)
        {
            throw Malformed("prompt of a chat prompt is not a list of messages");
        }

        var messages = new List<PromptMessage>();
        foreach (var message in body.EnumerateArray())
        {
            if (message.ValueKind != JsonValueKind.Object)
            {
                throw Malformed("a chat message is not an object");
            }

            // Placeholders ({type: "placeholder", name}) stand for messages the caller inserts; the pipeline supplies its own history.
            if (message.TryGetProperty("type", out var kind) && kind.ValueKind == JsonValueKind.String && kind.GetString() == "placeholder")
            {
                continue;
            }

            messages.Add(new PromptMessage(String(message, "role"), String(message, "content", allowEmpty: true)));
        }

        return messages;
    }

    private static int Version(JsonElement prompt) =>
        prompt.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var version) && version >= 1
            ? version
            : throw Malformed("version is missing or not a positive whole number");

    private static List<string> Labels(JsonElement prompt)
    {
        if (!prompt.TryGetProperty("labels", out var labels) || labels.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        return labels.ValueKind == JsonValueKind.Array && labels.EnumerateArray().All(l => l.ValueKind == JsonValueKind.String)
            ? labels.EnumerateArray().Select(l => l.GetString()!).ToList()
            : throw Malformed("labels is not a list of strings");
    }

    private static string String(JsonElement element, string property, bool allowEmpty = false) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && (allowEmpty || value.GetString()!.Length > 0)
            ? value.GetString()!
            : throw Malformed($"{property} is missing or not a string");

    private static PromptConfig Config(JsonElement prompt)
    {
        if (!prompt.TryGetProperty("config", out var config) || config.ValueKind != JsonValueKind.Object)
        {
            return PromptConfig.Empty;
        }

        var model = config.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        var temperature = config.TryGetProperty("temperature", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetDouble() : (double?)null;
        return new PromptConfig(model, temperature);
    }

    // The status is the 200 Langfuse answered with: not transient, retrying at once would get the same prompt.
    private static LangfuseApiException Malformed(string problem) => new($"Langfuse answered with a prompt the app cannot use: {problem}.", 200);
}
