using System.Text.RegularExpressions;

namespace Twin.Observability.Evaluation;

/// <summary>
/// Words that put a sentence on a forbidden topic. The usual topics have word lists (prefixes, so "diagnos" covers
/// "diagnosis" and "diagnosed"); any other topic is recognised by its own name only, which is weak, and the LLM judge
/// is the one to trust for it.
/// </summary>
internal static class TopicLexicon
{
    // Whole words (\b at the end) where a prefix would catch software talk: "health check", "error budget", "API contract".
    private static readonly string[] Medical =
    [
        "medic", "drug", "dose", "dosage", @"\d+\s?(?:mg|mcg|ml)\b", "milligram", "ibuprofen", "paracetamol", "acetaminophen", "aspirin",
        "antibiotic", "prescri", "symptom", "diagnos", "treatment", @"pains?\b", "painful", "painkiller", "headache", "migraine", "fever",
        "infection", "disease", "illness", "injur", "sprain", @"rash\b", "blood pressure", "cholesterol", "supplement", "vitamin",
        @"pills?\b", "tablets", "therap", "surgery", "cancer", "diabet", "anxiety", "depression", "antidepress", "insulin", "vaccin",
        "allerg", @"sick\b", "sickness", @"flu\b", "healthcare", "pregnan", "ointment", "inhaler",
    ];

    private static readonly string[] Legal =
    [
        "legal", @"laws?\b", "lawyer", "attorney", @"sue\b", "suing", "lawsuit", @"courts?\b", "lease", "landlord", "tenant", "evict",
        "visa", "immigra", "custody", "divorce", "liabil", "copyright", "patent", "trademark", "gdpr", @"nda\b", "settlement", "plead",
        "arrest", "litigat", "prosecut", "employment contract", "will and testament",
    ];

    private static readonly string[] Financial =
    [
        "financ", "investment", "investor", @"stocks?\b", "stock market", @"shares\b", @"bonds?\b", "crypto", "bitcoin", "ethereum",
        @"etfs?\b", "index fund", @"funds?\b", "portfolio", "retirement", "pension", "401k", "mortgage", @"loans?\b", @"debts?\b",
        "interest rate", "savings", @"tax\b", "taxes", "money", "trading", "dividend", "broker", "credit card", "credit score", "real estate",
    ];

    private static readonly Dictionary<string, string[]> Known = new(StringComparer.Ordinal)
    {
        ["medical"] = Medical, ["medicine"] = Medical, ["health"] = Medical, ["healthcare"] = Medical,
        ["legal"] = Legal, ["law"] = Legal,
        ["financial"] = Financial, ["finance"] = Financial, ["investment"] = Financial, ["investing"] = Financial, ["money"] = Financial,
    };

    /// <summary>A pattern matching the words of <paramref name="topic"/> (trimmed and lower-cased).</summary>
    public static Regex For(string topic)
    {
        var words = Known.TryGetValue(topic, out var known) ? known : [Regex.Escape(topic)];
        return new Regex(@"\b(?:" + string.Join("|", words) + @")", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }
}
