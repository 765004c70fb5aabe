using System.Text.Json;
using System.Text.RegularExpressions;
using Twin.Observability.Common;

namespace Twin.Observability.Chat;

/// <summary>The rules of a chat request body: a message within the length limit, a well-formed conversation id, small metadata.</summary>
public static partial class ChatInputRules
{
    public const int MaxMetadataEntries = 20;
    public const int MaxMetadataValueLength = 2_000;

    /// <summary>
    /// Keys and values together: the metadata rides on every span of the chat (about ten), so a bigger total would
    /// make the export batches of every caller's chats large enough for Langfuse to refuse.
    /// </summary>
    public const int MaxMetadataTotalLength = 4_000;

    public static (string Message, string ConversationId, IReadOnlyDictionary<string, string> Metadata) Validate(ChatInput input, int maxMessageLength)
    {
        var errors = new ValidationErrors();
        var message = input.Message?.Trim() ?? "";
        if (message.Length == 0)
        {
            errors.Add("message", "is required.");
        }
        else if (message.Length > maxMessageLength)
        {
            errors.Add("message", $"must be at most {maxMessageLength} characters.");
        }

        var conversationId = input.ConversationId;
        if (conversationId is not null && !ConversationId().IsMatch(conversationId))
        {
            errors.Add("conversationId", "must be 1 to 64 letters, digits, '-' or '_'.");
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (input.Metadata is { } given)
        {
            if (given.Count > MaxMetadataEntries)
            {
                errors.Add("metadata", $"must have at most {MaxMetadataEntries} entries.");
            }

            foreach (var (key, value) in given)
            {
                var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
                if (!MetadataKey().IsMatch(key))
                {
                    errors.Add($"metadata.{key}", "keys must be 1 to 64 letters, digits, '_', '-' or '.'.");
                }
                else if (text.Length > MaxMetadataValueLength)
                {
                    errors.Add($"metadata.{key}", $"must be at most {MaxMetadataValueLength} characters.");
                }
                else
                {
                    metadata[key] = text;
                }
            }
        }

        if (metadata.Sum(m => m.Key.Length + m.Value.Length) > MaxMetadataTotalLength)
        {
            errors.Add("metadata", $"keys and values must total at most {MaxMetadataTotalLength} characters.");
        }

        if (!errors.IsEmpty)
        {
            throw new ChatFailedException(ChatErrorTypes.Validation, "The chat request is invalid.") { Errors = errors.ToDictionary() };
        }

        return (message, conversationId ?? Guid.NewGuid().ToString("N"), metadata);
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex ConversationId();

    [GeneratedRegex(@"^[A-Za-z0-9_.-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex MetadataKey();
}
