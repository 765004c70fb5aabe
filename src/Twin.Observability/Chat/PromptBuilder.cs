using System.Text;
using Microsoft.Extensions.AI;
using Twin.Observability.Twins;

namespace Twin.Observability.Chat;

/// <summary>Builds the messages sent to the model: the persona and retrieved knowledge as the system message, then few-shot examples, history and the new message.</summary>
public static class PromptBuilder
{
    public static List<ChatMessage> Build(
        TwinProfile twin,
        IReadOnlyList<RetrievedSnippet> knowledge,
        IReadOnlyList<ChatMessage> fewShot,
        IReadOnlyList<ConversationTurn> history,
        string message)
    {
        var system = new StringBuilder(twin.Persona.Length + 512);
        system.Append("You are ").Append(twin.Name).Append(", a digital twin. Stay in character and speak in the first person.\n\n");
        system.Append(twin.Persona);
        if (knowledge.Count > 0)
        {
            system.Append("\n\nWhat you know that is relevant to this message:\n");
            foreach (var snippet in knowledge)
            {
                system.Append("- ").Append(snippet.Text).Append('\n');
            }
        }

        var messages = new List<ChatMessage>(2 + fewShot.Count + history.Count) { new(ChatRole.System, system.ToString()) };
        messages.AddRange(fewShot);
        messages.AddRange(history.Select(t => new ChatMessage(t.Role == "assistant" ? ChatRole.Assistant : ChatRole.User, t.Content)));
        messages.Add(new ChatMessage(ChatRole.User, message));
        return messages;
    }
}
