using System.Text.Json;

namespace Twin.Observability.Prompts;

/// <summary>Reads Langfuse's <c>Prompt</c> (a <c>TextPrompt</c> or <c>ChatPrompt</c>, told apart by <c>type</c>).</summary>
internal static class LangfusePromptParser
{
    public static PromptTemplate Parse(JsonElement prompt)
    {
        var isChat = prompt.TryGetProperty("type", out var type) && type.GetString() == "chat";
        var messages = isChat
            ? prompt.GetProperty("prompt").EnumerateArray()
                // Placeholders ({type: "placeholder", name}) stand for messages the caller inserts; the pipeline supplies its own history.
                .Where(m => !(m.TryGetProperty("type", out var t) && t.GetString() == "placeholder"))
                .Select(m => new PromptMessage(m.GetProperty("role").GetString() ?? "system", m.GetProperty("content").GetString() ?? ""))
                .ToList()
            : [];
        return new PromptTemplate(
            prompt.GetProperty("name").GetString()!,
            prompt.GetProperty("version").GetInt32(),
            isChat ? PromptKind.Chat : PromptKind.Text,
            isChat ? null : prompt.GetProperty("prompt").GetString(),
            messages,
            Config(prompt),
            prompt.TryGetProperty("labels", out var labels) ? labels.EnumerateArray().Select(l => l.GetString()!).ToList() : [],
            PromptSource.Langfuse);
    }

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
}
