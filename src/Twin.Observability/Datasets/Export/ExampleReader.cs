using System.Text.Json;
using System.Text.Json.Nodes;

namespace Twin.Observability.Datasets.Export;

/// <summary>
/// Reads a dataset item as a training example. Items the collector wrote hold <c>input.message</c> and
/// <c>expectedOutput.reply</c>; items made elsewhere (Langfuse's UI, an SDK) may hold a plain value, a chat
/// <c>messages</c> list, or the usual field names of other tools, which are read too.
/// </summary>
public static class ExampleReader
{
    private static readonly string[] MessageFields = ["message", "question", "prompt", "input", "query", "value"];
    private static readonly string[] ReplyFields = ["reply", "output", "answer", "completion", "response", "content", "value"];

    /// <summary>The example (without its system prompt), or the reason the item cannot be one.</summary>
    public static ReadExample Read(DatasetItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        string? system = null;
        var history = new List<ExportMessage>();
        string? user = FirstString(item.Input, MessageFields);
        if (item.Input["messages"] is JsonArray messages)
        {
            (system, user) = ReadMessages(messages, history);
        }
        else if (item.Input["history"] is JsonArray earlier)
        {
            ReadHistory(earlier, history);
        }

        if (string.IsNullOrWhiteSpace(user))
        {
            return ReadExample.Unreadable("no_user_message");
        }

        var reply = FirstString(item.ExpectedOutput, ReplyFields);
        if (string.IsNullOrWhiteSpace(reply))
        {
            return ReadExample.Unreadable("no_reply");
        }

        var example = new ExportExample
        {
            Id = item.Id,
            System = system,
            History = history,
            User = user,
            Assistant = reply,
            Scores = ScoresOf(item.Metadata),
            SourceTraceId = item.SourceTraceId,
            SourceObservationId = item.SourceObservationId,
            TwinId = StringOf(item.Input["twinId"]) ?? StringOf(item.Metadata["twinId"]),
            PromptName = StringOf(item.Metadata["promptName"]),
            PromptVersion = item.Metadata["promptVersion"] is JsonValue v && v.TryGetValue<int>(out var version) ? version : null,
            Model = StringOf(item.Metadata["model"]),
        };
        return new ReadExample(example, KnowledgeOf(item.Input), null);
    }

    private static (string? System, string? User) ReadMessages(JsonArray messages, List<ExportMessage> history)
    {
        string? system = null;
        foreach (var node in messages.OfType<JsonObject>())
        {
            var role = StringOf(node["role"]);
            var content = StringOf(node["content"]) ?? "";
            if (role == "system")
            {
                system = system is null ? content : system + "\n\n" + content;
            }
            else
            {
                history.Add(new ExportMessage(role ?? "", content));
            }
        }

        // The last user message is the one the reply answers; whatever followed it cannot be part of the example.
        var last = history.FindLastIndex(m => m.Role == ExportMessage.UserRole);
        if (last < 0)
        {
            history.Clear();
            return (system, null);
        }

        var user = history[last].Content;
        history.RemoveRange(last, history.Count - last);
        return (system, user);
    }

    private static void ReadHistory(JsonArray earlier, List<ExportMessage> history)
    {
        foreach (var node in earlier.OfType<JsonObject>())
        {
            history.Add(new ExportMessage(StringOf(node["role"]) ?? "", StringOf(node["content"]) ?? ""));
        }
    }

    private static Dictionary<string, double> ScoresOf(JsonObject metadata)
    {
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        if (metadata["scores"] is JsonObject values)
        {
            foreach (var (name, node) in values)
            {
                if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number)
                {
                    scores[name] = value.GetValue<double>();
                }
            }
        }

        return scores;
    }

    private static IReadOnlyList<string> KnowledgeOf(JsonObject input) =>
        input["knowledge"] is JsonArray knowledge ? [.. knowledge.Select(StringOf).OfType<string>()] : [];

    private static string? FirstString(JsonObject node, string[] fields)
    {
        foreach (var field in fields)
        {
            if (StringOf(node[field]) is { Length: > 0 } text)
            {
                return text;
            }
        }

        return null;
    }

    private static string? StringOf(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}

/// <summary>An item read as an example, with the knowledge its system prompt held; or the code of why it could not be read.</summary>
public sealed record ReadExample(ExportExample? Example, IReadOnlyList<string> Knowledge, string? Failure)
{
    public static ReadExample Unreadable(string failure) => new(null, [], failure);
}
