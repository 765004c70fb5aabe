using System.Globalization;
using System.Text.Json;

namespace Twin.Testing.Fakes.OpenAI;

/// <summary>
/// Checks a chat-completions body against the parts of OpenAI's contract a client can get wrong, with OpenAI's
/// messages, params and codes, so a client bug fails the test that caused it instead of passing against a lenient fake.
/// </summary>
internal static class ChatRequestValidator
{
    private static readonly string[] Roles = ["system", "user", "assistant", "tool", "developer"];

    /// <exception cref="InvalidChatRequestException">The body breaks the contract.</exception>
    public static FakeChatRequest Parse(string body)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(body);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new InvalidChatRequestException("We could not parse the JSON body of your request. The OpenAI API expects a JSON payload.", null, null);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidChatRequestException($"Invalid type for request body: expected an object, but got {Kind(root)} instead.", null, "invalid_type");
        }

        if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(model.GetString()))
        {
            throw new InvalidChatRequestException("you must provide a model parameter", "model", null);
        }

        if (root.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True)
        {
            throw new InvalidChatRequestException("FakeOpenAI does not stream: send 'stream': false or leave it out.", "stream", "unsupported_value");
        }

        var messages = Messages(root);
        ValidateResponseFormat(root, messages);
        var temperature = Temperature(root);
        var maxTokens = MaxTokens(root);
        return new FakeChatRequest(model.GetString()!, messages, temperature, maxTokens, body);
    }

    private static List<FakeChatMessage> Messages(JsonElement root)
    {
        if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind == JsonValueKind.Null)
        {
            throw new InvalidChatRequestException("Missing required parameter: 'messages'.", "messages", "missing_required_parameter");
        }

        if (messages.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidChatRequestException($"Invalid type for 'messages': expected an array, but got {Kind(messages)} instead.", "messages", "invalid_type");
        }

        if (messages.GetArrayLength() == 0)
        {
            throw new InvalidChatRequestException("Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", "messages", "empty_array");
        }

        var result = new List<FakeChatMessage>();
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            result.Add(Message(message, $"messages[{index++}]"));
        }

        return result;
    }

    private static FakeChatMessage Message(JsonElement message, string param)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidChatRequestException($"Invalid type for '{param}': expected an object, but got {Kind(message)} instead.", param, "invalid_type");
        }

        if (!message.TryGetProperty("role", out var roleElement) || roleElement.ValueKind != JsonValueKind.String)
        {
            throw new InvalidChatRequestException($"Missing required parameter: '{param}.role'.", $"{param}.role", "missing_required_parameter");
        }

        var role = roleElement.GetString()!;
        if (!Roles.Contains(role, StringComparer.Ordinal))
        {
            throw new InvalidChatRequestException(
                $"Invalid value: '{role}'. Supported values are: 'system', 'assistant', 'user', 'tool', and 'developer'.", $"{param}.role", "invalid_value");
        }

        if (role == "tool" && (!message.TryGetProperty("tool_call_id", out var toolCallId) || toolCallId.ValueKind != JsonValueKind.String))
        {
            throw new InvalidChatRequestException($"Missing required parameter: '{param}.tool_call_id'.", $"{param}.tool_call_id", "missing_required_parameter");
        }

        var hasContent = message.TryGetProperty("content", out var content) && content.ValueKind != JsonValueKind.Null;

        // An assistant turn that only calls tools has no content; every other message needs some.
        if (!hasContent)
        {
            return role == "assistant" && message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array
                ? new FakeChatMessage(role, "")
                : throw new InvalidChatRequestException($"Missing required parameter: '{param}.content'.", $"{param}.content", "missing_required_parameter");
        }

        return content.ValueKind switch
        {
            JsonValueKind.String => new FakeChatMessage(role, content.GetString()!),
            JsonValueKind.Array => new FakeChatMessage(role, PartsText(content, $"{param}.content")),
            _ => throw new InvalidChatRequestException(
                $"Invalid type for '{param}.content': expected one of a string or array of objects, but got {Kind(content)} instead.", $"{param}.content", "invalid_type"),
        };
    }

    private static string PartsText(JsonElement parts, string param)
    {
        var texts = new List<string>();
        var index = 0;
        foreach (var part in parts.EnumerateArray())
        {
            var partParam = $"{param}[{index++}]";
            if (part.ValueKind != JsonValueKind.Object || !part.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            {
                throw new InvalidChatRequestException($"Invalid '{partParam}': expected an object with a string 'type'.", partParam, "invalid_type");
            }

            if (type.GetString() == "text")
            {
                if (!part.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String)
                {
                    throw new InvalidChatRequestException($"Missing required parameter: '{partParam}.text'.", $"{partParam}.text", "missing_required_parameter");
                }

                texts.Add(text.GetString()!);
            }
        }

        return string.Join("\n", texts);
    }

    // JSON mode is how LLM judges ask for a parseable verdict; OpenAI checks its shape, and for json_object it refuses
    // a conversation that never mentions JSON (the model would otherwise emit whitespace until the token limit).
    private static void ValidateResponseFormat(JsonElement root, List<FakeChatMessage> messages)
    {
        if (!root.TryGetProperty("response_format", out var format) || format.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (format.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidChatRequestException($"Invalid type for 'response_format': expected an object, but got {Kind(format)} instead.", "response_format", "invalid_type");
        }

        if (!format.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            throw new InvalidChatRequestException("Missing required parameter: 'response_format.type'.", "response_format.type", "missing_required_parameter");
        }

        switch (type.GetString())
        {
            case "text":
                return;
            case "json_object":
                if (!messages.Any(m => m.Text.Contains("json", StringComparison.OrdinalIgnoreCase)))
                {
                    throw new InvalidChatRequestException(
                        "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.", "messages", null);
                }

                return;
            case "json_schema":
                if (!format.TryGetProperty("json_schema", out var schema) || schema.ValueKind != JsonValueKind.Object)
                {
                    throw new InvalidChatRequestException("Missing required parameter: 'response_format.json_schema'.", "response_format.json_schema", "missing_required_parameter");
                }

                if (!schema.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(name.GetString()))
                {
                    throw new InvalidChatRequestException(
                        "Missing required parameter: 'response_format.json_schema.name'.", "response_format.json_schema.name", "missing_required_parameter");
                }

                return;
            default:
                throw new InvalidChatRequestException(
                    $"Invalid value: '{type.GetString()}'. Supported values are: 'text', 'json_object', and 'json_schema'.", "response_format.type", "invalid_value");
        }
    }

    private static double? Temperature(JsonElement root)
    {
        if (!root.TryGetProperty("temperature", out var temperature) || temperature.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (temperature.ValueKind != JsonValueKind.Number)
        {
            throw new InvalidChatRequestException($"Invalid type for 'temperature': expected a decimal, but got {Kind(temperature)} instead.", "temperature", "invalid_type");
        }

        var value = temperature.GetDouble();
        return value is >= 0 and <= 2
            ? value
            : throw new InvalidChatRequestException(
                string.Create(CultureInfo.InvariantCulture, $"Invalid 'temperature': decimal out of range. Expected a value between 0 and 2, but got {value} instead."), "temperature", "decimal_out_of_range");
    }

    private static int? MaxTokens(JsonElement root)
    {
        int? result = null;
        foreach (var name in new[] { "max_tokens", "max_completion_tokens" })
        {
            if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var tokens) || tokens < 1)
            {
                throw new InvalidChatRequestException($"Invalid '{name}': expected an integer of at least 1.", name, "invalid_value");
            }

            result = tokens;
        }

        return result;
    }

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
