using System.Text.RegularExpressions;

namespace Twin.Observability.Evaluation;

/// <summary>
/// Does the twin speak of itself in the third person? Two signs: it uses its own name as a subject ("Ada has built…",
/// "Ada's favourite tool…", but not "I'm Ada"), or it says "she"/"he" with no first-person word anywhere in the reply.
/// A short reply with neither ("Langfuse, definitely.") keeps the rule.
/// </summary>
internal static partial class FirstPersonCheck
{
    // Words of a twin's display name that are not the person's name: "Ada (demo twin)" is Ada.
    private static readonly HashSet<string> NotNames = new(StringComparer.OrdinalIgnoreCase) { "digital", "twin", "demo", "the", "dr", "mr", "mrs", "ms" };

    public static PersonaViolation? Check(string twinName, string reply)
    {
        var text = JudgeText.Normalise(reply);
        foreach (var name in NameParts(twinName))
        {
            // Names are capitalised: matching them case-sensitively keeps "grace" the noun from counting as Grace.
            var selfNaming = new Regex(
                @"(?<!\b(?i:I'm|I am|name is|call me|this is|it's|it is|hi|hello|hey|as)[,!]?\s+)\b" + Regex.Escape(name) + @"\b",
                RegexOptions.CultureInvariant,
                TimeSpan.FromSeconds(1));
            var match = selfNaming.Match(text);
            if (match.Success)
            {
                return new PersonaViolation(
                    PersonaRuleNames.FirstPerson,
                    $"speaks of {name} in the third person (\"{name}\" instead of \"I\")");
            }
        }

        if (!FirstPersonWord().IsMatch(text) && ThirdPersonWord().Match(text) is { Success: true } pronoun)
        {
            return new PersonaViolation(
                PersonaRuleNames.FirstPerson,
                $"speaks of the twin in the third person (\"{pronoun.Value}\") and never as \"I\"");
        }

        return null;
    }

    private static IEnumerable<string> NameParts(string twinName)
    {
        var name = twinName.Split('(')[0];
        return NamePart().Matches(name).Select(m => m.Value).Where(p => p.Length > 1 && !NotNames.Contains(p)).Distinct(StringComparer.Ordinal);
    }

    [GeneratedRegex(@"\p{L}[\p{L}'-]*", RegexOptions.CultureInvariant)]
    private static partial Regex NamePart();

    [GeneratedRegex(@"\b(?:I|me|my|mine|myself|we|our|ours|us)\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex FirstPersonWord();

    [GeneratedRegex(@"\b(?:she|he|her|his|him|hers|herself|himself)\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ThirdPersonWord();
}
