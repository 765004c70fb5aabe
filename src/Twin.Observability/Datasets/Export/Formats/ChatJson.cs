using System.Text.Json;

namespace Twin.Observability.Datasets.Export.Formats;

/// <summary>The <c>{"role","content"}</c> messages that the OpenAI, DPO and TRL formats share.</summary>
internal static class ChatJson
{
    public static readonly JsonEncodedText Messages = JsonEncodedText.Encode("messages");
    public static readonly JsonEncodedText Role = JsonEncodedText.Encode("role");
    public static readonly JsonEncodedText Content = JsonEncodedText.Encode("content");
    public static readonly JsonEncodedText System = JsonEncodedText.Encode("system");
    public static readonly JsonEncodedText User = JsonEncodedText.Encode(ExportMessage.UserRole);
    public static readonly JsonEncodedText Assistant = JsonEncodedText.Encode(ExportMessage.AssistantRole);
    private static readonly JsonEncodedText Weight = JsonEncodedText.Encode("weight");

    /// <summary>
    /// The system prompt (when there is one), the history and the user's message, as elements of an open array.
    /// With <paramref name="weighHistory"/>, earlier replies get weight 0: only the judged reply is worth learning.
    /// </summary>
    public static void WritePrompt(Utf8JsonWriter json, ExportExample example, bool weighHistory)
    {
        if (!string.IsNullOrEmpty(example.System))
        {
            WriteMessage(json, System, example.System);
        }

        foreach (var message in example.History)
        {
            json.WriteStartObject();
            json.WriteString(Role, message.Role);
            json.WriteString(Content, message.Content);
            if (weighHistory && string.Equals(message.Role, ExportMessage.AssistantRole, StringComparison.Ordinal))
            {
                json.WriteNumber(Weight, 0);
            }

            json.WriteEndObject();
        }

        WriteMessage(json, User, example.User);
    }

    public static void WriteMessage(Utf8JsonWriter json, JsonEncodedText role, string content, int? weight = null)
    {
        json.WriteStartObject();
        json.WriteString(Role, role);
        json.WriteString(Content, content);
        if (weight is { } value)
        {
            json.WriteNumber(Weight, value);
        }

        json.WriteEndObject();
    }

    /// <summary><c>"name":[{"role":"assistant","content":…}]</c>: a reply where a trainer wants a list of messages.</summary>
    public static void WriteReply(Utf8JsonWriter json, JsonEncodedText name, string content)
    {
        json.WriteStartArray(name);
        WriteMessage(json, Assistant, content);
        json.WriteEndArray();
    }
}
