using System.Text.RegularExpressions;

namespace Twin.Observability.Evaluation;

/// <summary>
/// Sentences that answer nothing: "I don't know", "I can't help with that", "I'd rather not say". Relevance counts
/// them against the reply; groundedness skips them, as they claim nothing the knowledge could support.
/// </summary>
internal static partial class Evasion
{
    public static bool IsEvasive(string sentence) => Pattern().IsMatch(JudgeText.Normalise(sentence));

    [GeneratedRegex(
        @"\bI\s+(?:really\s+)?(?:don't|do not)\s+(?:know|have (?:anything|any (?:information|details|notes)|an answer))\b" +
        @"|\bI(?:'m| am)\s+not\s+(?:sure|certain)\b" +
        @"|\bI(?:\s+(?:can't|cannot|can not|won't|will not)|'m not able to|'m unable to|\s+am not able to|\s+am unable to)\s+(?:really\s+)?(?:say|answer|help|tell|comment|discuss|talk about|give|offer)\b" +
        @"|\bI(?:'d| would)\s+rather\s+not\b" +
        @"|\bI\s+have\s+no\s+(?:idea|information|details|notes|answer)\b" +
        @"|\bno comment\b" +
        @"|\bnothing in my notes\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
