namespace Twin.Observability.Datasets.Export.Formats;

/// <summary>
/// The rules the formats share, each with its snake_case code, and the words that describe them. Checks return the
/// first broken rule so that a skipped example is counted under one reason.
/// </summary>
internal static class ExportRules
{
    public const string EmptyUser = "empty_user";
    public const string EmptyAssistant = "empty_assistant";
    public const string EmptyHistoryMessage = "empty_history_message";
    public const string BadHistoryRole = "bad_history_role";
    public const string NotAlternating = "not_alternating";
    public const string MissingRejected = "missing_rejected";
    public const string SamePreferredAndRejected = "same_preferred_and_rejected";

    public const string UserAndReply = "a user message and a reply";
    public const string HistoryMessages = "earlier messages, if any, from user or assistant and not empty";
    public const string AlternatingTurns = "alternating user/assistant turns";
    public const string PreferencePair = "a preference pair: a passing and a failing reply to the same prompt";

    /// <summary>What <see cref="Check"/> asks for, in words.</summary>
    public static IReadOnlyList<string> AnyTurns { get; } = [UserAndReply, HistoryMessages];

    /// <summary>What <see cref="CheckAlternating"/> asks for, in words.</summary>
    public static IReadOnlyList<string> Alternating { get; } = [UserAndReply, AlternatingTurns];

    /// <summary>The rules of every format: text to learn from, and history only of the two roles a trainer knows.</summary>
    public static string? Check(ExportExample example)
    {
        ArgumentNullException.ThrowIfNull(example);
        if (string.IsNullOrWhiteSpace(example.User))
        {
            return EmptyUser;
        }

        if (string.IsNullOrWhiteSpace(example.Assistant))
        {
            return EmptyAssistant;
        }

        foreach (var message in example.History)
        {
            if (string.IsNullOrWhiteSpace(message.Content))
            {
                return EmptyHistoryMessage;
            }
        }

        foreach (var message in example.History)
        {
            if (message.Role is not (ExportMessage.UserRole or ExportMessage.AssistantRole))
            {
                return BadHistoryRole;
            }
        }

        return null;
    }

    /// <summary>
    /// For trainers that read turns as user/assistant pairs (Bedrock, ShareGPT, Alpaca): the history is whole pairs,
    /// so the final user message and reply continue the alternation.
    /// </summary>
    public static string? CheckAlternating(ExportExample example)
    {
        if (Check(example) is { } broken)
        {
            return broken;
        }

        var history = example.History;
        if (history.Count % 2 != 0)
        {
            return NotAlternating;
        }

        for (var i = 0; i < history.Count; i++)
        {
            var expected = i % 2 == 0 ? ExportMessage.UserRole : ExportMessage.AssistantRole;
            if (!string.Equals(history[i].Role, expected, StringComparison.Ordinal))
            {
                return NotAlternating;
            }
        }

        return null;
    }

    /// <summary>For preference formats: a non-preferred reply that really differs from the preferred one.</summary>
    public static string? CheckPair(ExportExample example)
    {
        if (Check(example) is { } broken)
        {
            return broken;
        }

        if (string.IsNullOrWhiteSpace(example.Rejected))
        {
            return MissingRejected;
        }

        return example.Rejected.AsSpan().Trim().SequenceEqual(example.Assistant.AsSpan().Trim()) ? SamePreferredAndRejected : null;
    }
}
