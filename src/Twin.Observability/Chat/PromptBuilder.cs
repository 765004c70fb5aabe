using System.Text;
using Microsoft.Extensions.AI;
using Twin.Observability.Prompts;
using Twin.Observability.Twins;

namespace Twin.Observability.Chat;

/// <summary>
/// Builds the messages sent to the model: the system prompt (a Langfuse text or chat prompt, or the built-in one)
/// compiled with the twin's variables, then few-shot examples, history and the new message.
/// </summary>
public static class PromptBuilder
{
    public static BuiltPrompt Build(
        PromptTemplate template,
        TwinProfile twin,
        IReadOnlyList<RetrievedSnippet> knowledge,
        IReadOnlyList<ChatMessage> fewShot,
        IReadOnlyList<ConversationTurn> history,
        string message,
        IReadOnlyDictionary<string, string>? extraVariables = null)
    {
        var variables = Variables(twin, knowledge);
        if (extraVariables is { Count: > 0 })
        {
            var merged = new Dictionary<string, string>(variables, StringComparer.Ordinal);
            foreach (var (name, value) in extraVariables)
            {
                merged[name] = value;
            }

            variables = merged;
        }

        var missing = new SortedSet<string>(StringComparer.Ordinal);
        var messages = new List<ChatMessage>();
        if (template.Kind == PromptKind.Text)
        {
            messages.Add(new ChatMessage(ChatRole.System, Compile(template.Text ?? "", variables, missing)));
        }
        else
        {
            messages.AddRange(template.Messages.Select(m => new ChatMessage(new ChatRole(m.Role), Compile(m.Content, variables, missing))));
        }

        messages.AddRange(fewShot);
        messages.AddRange(history.Select(t => new ChatMessage(t.Role == "assistant" ? ChatRole.Assistant : ChatRole.User, t.Content)));
        messages.Add(new ChatMessage(ChatRole.User, message));
        return new BuiltPrompt(messages, template, [.. missing]);
    }

    /// <summary>The variables a system prompt may use: <c>twin_name</c>, <c>twin_id</c>, <c>persona</c>, <c>knowledge</c>.</summary>
    public static IReadOnlyDictionary<string, string> Variables(TwinProfile twin, IReadOnlyList<RetrievedSnippet> knowledge)
    {
        var facts = new StringBuilder();
        if (knowledge.Count > 0)
        {
            facts.Append("\n\nWhat you know that is relevant to this message:\n");
            foreach (var snippet in knowledge)
            {
                facts.Append("- ").Append(snippet.Text).Append('\n');
            }
        }

        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["twin_name"] = twin.Name,
            ["twin_id"] = twin.Id,
            ["persona"] = twin.Persona,
            ["knowledge"] = facts.ToString(),
        };
    }

    private static string Compile(string text, IReadOnlyDictionary<string, string> variables, SortedSet<string> missing)
    {
        var compiled = PromptCompiler.Compile(text, variables);
        missing.UnionWith(compiled.MissingVariables);
        return compiled.Text;
    }
}

/// <summary>The messages for the model, the prompt they came from, and any variables the prompt named that had no value.</summary>
public sealed record BuiltPrompt(List<ChatMessage> Messages, PromptTemplate Template, IReadOnlyList<string> MissingVariables);
