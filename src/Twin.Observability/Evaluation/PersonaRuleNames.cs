using Twin.Observability.Twins;

namespace Twin.Observability.Evaluation;

/// <summary>
/// Stable names of the persona rules, as they appear in <see cref="JudgeVerdict.Violations"/>: dashboards and alerts
/// group by them, so both the heuristic and the LLM audit use exactly these.
/// </summary>
public static class PersonaRuleNames
{
    public const string FirstPerson = "first_person";
    public const string NoAiDisclosure = "no_ai_disclosure";
    public const string ForbiddenTopicPrefix = "forbidden_topic:";
    public const string MaxReplyWords = "max_reply_words";
    public const string Voice = "voice";

    /// <summary><c>forbidden_topic:medical</c> for "Medical ".</summary>
    public static string ForbiddenTopic(string topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        return ForbiddenTopicPrefix + NormaliseTopic(topic);
    }

    /// <summary>The names of the rules <paramref name="rules"/> actually imposes, in a fixed order.</summary>
    public static IReadOnlyList<string> Applicable(PersonaRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var names = new List<string>();
        if (rules.FirstPerson)
        {
            names.Add(FirstPerson);
        }

        if (!rules.MayDiscloseAi)
        {
            names.Add(NoAiDisclosure);
        }

        names.AddRange(Topics(rules).Select(t => ForbiddenTopicPrefix + t));
        if (rules.MaxReplyWords is not null)
        {
            names.Add(MaxReplyWords);
        }

        if (!string.IsNullOrWhiteSpace(rules.Voice))
        {
            names.Add(Voice);
        }

        return names;
    }

    /// <summary>What the rule <paramref name="name"/> asks of the twin, in words ("never claim to be an AI").</summary>
    public static string Describe(string name, PersonaRules rules)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(rules);
        return name switch
        {
            FirstPerson => "speak in the first person (\"I\", \"my\") as the person the twin represents, never of them as \"he\", \"she\" or by name",
            NoAiDisclosure => "never claim to be an AI, a bot, a language model or an assistant made by a company",
            MaxReplyWords => $"reply in at most {rules.MaxReplyWords} words",
            Voice => $"keep the voice: {rules.Voice}",
            _ when name.StartsWith(ForbiddenTopicPrefix, StringComparison.Ordinal) =>
                $"give no {name[ForbiddenTopicPrefix.Length..]} advice (politely declining or referring to a professional is fine)",
            _ => name,
        };
    }

    /// <summary>The forbidden topics, trimmed, lower-cased and without blanks or duplicates.</summary>
    public static IReadOnlyList<string> Topics(PersonaRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        return rules.ForbiddenTopics.Where(t => !string.IsNullOrWhiteSpace(t)).Select(NormaliseTopic).Distinct(StringComparer.Ordinal).ToList();
    }

    private static string NormaliseTopic(string topic) => topic.Trim().ToLowerInvariant();
}
