using System.Text.Json;
using Twin.Observability.Common;
using Twin.Observability.Prompts;

namespace Twin.Observability.Playground;

/// <summary>
/// A prompt given in a playground request and saved nowhere: a string is a text prompt; an object says its type
/// (<c>text</c> with <c>text</c>, <c>chat</c> with <c>messages</c>), or is read by what it holds. Errors name the field.
/// </summary>
internal static class InlinePromptReader
{
    private static readonly string[] PromptRoles = ["system", "developer", "user", "assistant"];

    public static PromptTemplate? Read(JsonElement? prompt, string field, ValidationErrors errors)
    {
        if (prompt is not { } element || element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return null;
        }

        if (element.ValueKind == JsonValueKind.String)
        {
            return PromptText(element.GetString()!, field, errors) is { } text ? Text(PlaygroundValidator.InlinePromptName, text) : null;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(field, "must be a string (a text prompt) or an object {type: text|chat, text | messages}.");
            return null;
        }

        var name = PlaygroundValidator.InlinePromptName;
        if (element.TryGetProperty("name", out var nameElement) && nameElement.ValueKind != JsonValueKind.Null)
        {
            if (nameElement.ValueKind != JsonValueKind.String || nameElement.GetString()!.Trim() is not { Length: > 0 and <= 100 } given)
            {
                errors.Add(field + ".name", "must be 1 to 100 characters.");
            }
            else
            {
                name = given;
            }
        }

        var type = element.TryGetProperty("type", out var typeElement) && typeElement.ValueKind == JsonValueKind.String
            ? typeElement.GetString()
            : element.TryGetProperty("messages", out _) ? "chat" : "text";
        switch (type)
        {
            case "text":
                if (!element.TryGetProperty("text", out var textElement) || textElement.ValueKind != JsonValueKind.String)
                {
                    errors.Add(field + ".text", "is required for a text prompt.");
                    return null;
                }

                return PromptText(textElement.GetString()!, field + ".text", errors) is { } text ? Text(name, text) : null;
            case "chat":
                return Chat(element, name, field, errors);
            default:
                errors.Add(field + ".type", "must be 'text' or 'chat'.");
                return null;
        }
    }

    private static PromptTemplate? Chat(JsonElement element, string name, string field, ValidationErrors errors)
    {
        if (!element.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() is 0 or > PlaygroundValidator.MaxPromptMessages)
        {
            errors.Add(field + ".messages", $"must hold 1 to {PlaygroundValidator.MaxPromptMessages} messages for a chat prompt.");
            return null;
        }

        var result = new List<PromptMessage>();
        var total = 0;
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var at = $"{field}.messages[{index++}]";
            var role = message.ValueKind == JsonValueKind.Object && message.TryGetProperty("role", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            var content = message.ValueKind == JsonValueKind.Object && message.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            if (role is null || !PromptRoles.Contains(role, StringComparer.Ordinal))
            {
                errors.Add(at + ".role", $"must be one of {string.Join(", ", PromptRoles)}.");
            }

            if (string.IsNullOrWhiteSpace(content))
            {
                errors.Add(at + ".content", "is required.");
            }

            total += content?.Length ?? 0;
            result.Add(new PromptMessage(role ?? "", content ?? ""));
        }

        if (total > PlaygroundValidator.MaxPromptLength)
        {
            errors.Add(field + ".messages", $"must be at most {PlaygroundValidator.MaxPromptLength} characters in all.");
        }

        return new PromptTemplate(name, Version: null, PromptKind.Chat, null, result, PromptConfig.Empty, [], PromptSource.Inline);
    }

    private static string? PromptText(string text, string field, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > PlaygroundValidator.MaxPromptLength)
        {
            errors.Add(field, $"must be 1 to {PlaygroundValidator.MaxPromptLength} characters.");
            return null;
        }

        return text;
    }

    private static PromptTemplate Text(string name, string text) =>
        new(name, Version: null, PromptKind.Text, text, [], PromptConfig.Empty, [], PromptSource.Inline);
}
