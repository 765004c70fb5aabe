using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;

namespace Twin.Observability.Evaluation;

/// <summary>
/// An LLM judge's answer after strict validation: a JSON object with a finite <c>score</c> in [0, 1], a non-empty
/// <c>reasoning</c> string and, for the persona audit, <c>violations</c>: an array of names of rules that apply to
/// the twin. Anything else is invalid, and the judge asks once more rather than guess what the model meant.
/// </summary>
internal sealed record JudgeAnswer(double Score, string Reasoning, IReadOnlyList<string> Violations)
{
    /// <param name="text">The model's answer.</param>
    /// <param name="allowedViolations">The rule names the audit may report; null when the criterion reports none.</param>
    /// <param name="answer">The valid answer.</param>
    /// <param name="error">Why the answer is invalid, phrased for the model to correct it.</param>
    public static bool TryParse(string? text, IReadOnlyCollection<string>? allowedViolations, [NotNullWhen(true)] out JudgeAnswer? answer, out string error)
    {
        answer = null;
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(Unfence(text ?? ""));
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            error = "it was not valid JSON.";
            return false;
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            error = "it was not a JSON object.";
            return false;
        }

        if (!root.TryGetProperty("score", out var scoreElement) || scoreElement.ValueKind != JsonValueKind.Number
            || !scoreElement.TryGetDouble(out var score) || !double.IsFinite(score))
        {
            error = "\"score\" must be a number.";
            return false;
        }

        if (score is < 0 or > 1)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"\"score\" must be between 0 and 1, but was {score}.");
            return false;
        }

        if (!root.TryGetProperty("reasoning", out var reasoningElement) || reasoningElement.ValueKind != JsonValueKind.String
            || string.IsNullOrWhiteSpace(reasoningElement.GetString()))
        {
            error = "\"reasoning\" must be a non-empty string.";
            return false;
        }

        IReadOnlyList<string> violations = [];
        if (allowedViolations is not null && !TryViolations(root, allowedViolations, out violations, out error))
        {
            return false;
        }

        answer = new JudgeAnswer(score, reasoningElement.GetString()!.Trim(), violations);
        error = "";
        return true;
    }

    private static bool TryViolations(JsonElement root, IReadOnlyCollection<string> allowed, out IReadOnlyList<string> violations, out string error)
    {
        violations = [];
        if (!root.TryGetProperty("violations", out var element) || element.ValueKind != JsonValueKind.Array)
        {
            error = "\"violations\" must be an array of rule names (empty when no rule is broken).";
            return false;
        }

        var names = new List<string>();
        foreach (var item in element.EnumerateArray())
        {
            var name = item.ValueKind == JsonValueKind.String ? item.GetString()!.Trim().ToLowerInvariant() : null;
            if (name is null || !allowed.Contains(name))
            {
                error = allowed.Count == 0
                    ? "\"violations\" must be empty: no rules apply to this twin."
                    : $"\"violations\" may only hold these rule names: {string.Join(", ", allowed)}.";
                return false;
            }

            if (!names.Contains(name))
            {
                names.Add(name);
            }
        }

        violations = names;
        error = "";
        return true;
    }

    // Some OpenAI-compatible servers (Ollama, vLLM) wrap JSON in a Markdown fence despite the response format; the
    // content inside is still exactly what the model answered, so taking it out guesses nothing.
    private static string Unfence(string text)
    {
        var trimmed = text.Trim();
        if (!trimmed.StartsWith("```", StringComparison.Ordinal) || !trimmed.EndsWith("```", StringComparison.Ordinal) || trimmed.Length < 6)
        {
            return trimmed;
        }

        var body = trimmed[3..^3];
        var newline = body.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? body : body[(newline + 1)..];
    }
}
