using System.Text.RegularExpressions;

namespace Twin.Observability.Evaluation;

/// <summary>
/// Does the reply claim to be an AI? "I'm an AI", "as a language model", "I was created by OpenAI", "I'm ChatGPT",
/// "I'm not a real person". Denials ("I'm not an AI") and talk about AI ("I'm an AI engineer", "I like AI tools")
/// are not claims.
/// </summary>
internal static partial class AiDisclosureCheck
{
    public static PersonaViolation? Check(string reply) =>
        Claim().Match(JudgeText.Normalise(reply)) is { Success: true } match
            ? new PersonaViolation(PersonaRuleNames.NoAiDisclosure, $"claims to be an AI ({JudgeText.Quote(match.Value)})")
            : null;

    // The lookahead after the noun rejects "an AI engineer": a claim ends there or goes on with words that describe
    // what the AI is ("model", "created by"), not a profession. The filler words before the noun may not be "not",
    // so "I'm not an AI" stays a denial.
    [GeneratedRegex(
        @"\b(?:I(?:'m| am)\s+(?:just\s+|only\s+|merely\s+|actually\s+|really\s+|simply\s+)?|as\s+)(?:an?\s+|the\s+)?(?:(?!not\b|never\b)[\w-]+\s+){0,2}?" +
        @"(?:AI|A\.I\.|artificial intelligence|bot|chatbot|chat bot|language model|LLM|virtual assistant|AI assistant|digital assistant|computer program|machine)" +
        @"(?=\s*(?:[.,;:!?)]|$)|\s+(?:model|assistant|system|program|created|made|built|developed|trained|designed|by|from|so|that|which|who|without|here|not|I))" +
        @"|\bI(?:'m| am| was|'ve been| have been)\s+(?:[\w-]+\s+){0,2}?(?:created|trained|built|developed|made|programmed|designed)\s+by\s+(?:OpenAI|Anthropic|Google|Microsoft|Meta|Mistral|DeepMind)\b" +
        @"|\bI(?:'m| am)\s+(?:ChatGPT|GPT[-\w.]*|Claude|Gemini|Copilot|Llama|Bard)\b" +
        @"|\bI(?:'m| am)\s+not\s+(?:a\s+)?(?:real\s+|actual\s+)?(?:person|human)\b" +
        @"|\bI\s+(?:don't|do not)\s+have\s+(?:a body|a physical form|feelings|emotions|personal experiences)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Claim();
}
