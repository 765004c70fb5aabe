using System.Globalization;

namespace Twin.Observability.Evaluation;

/// <summary>
/// Groundedness without an LLM: the share of the reply's content that the retrieved knowledge supports.
/// <list type="bullet">
/// <item>Each sentence with content terms is a claim, except evasions ("I don't know"), which claim nothing.</item>
/// <item>A claim's support is the best share of its terms found in any one snippet, so facts stitched together from
/// different snippets within one sentence are not credited as if one snippet said them.</item>
/// <item>The score is the support of all claims weighted by their number of terms: the share of the reply's content
/// the knowledge backs. A reply that claims nothing scores 1; claims with no knowledge to check them against score 0.</item>
/// </list>
/// Words are not meaning: a claim that reuses a snippet's words but negates it still looks supported; the LLM judge
/// reads meaning when one is configured.
/// </summary>
public sealed class HeuristicGroundednessJudge : IJudge
{
    public string Name => ScoreNames.Groundedness;

    public Task<JudgeVerdict> JudgeAsync(JudgeInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Judge(input.Reply, input.Knowledge));
    }

    private JudgeVerdict Judge(string reply, IReadOnlyList<string> knowledge)
    {
        var claims = JudgeText.Sentences(reply)
            .Where(s => !Evasion.IsEvasive(s))
            .Select(s => (Text: s, Terms: JudgeText.TermWords(s)))
            .Where(c => c.Terms.Count > 0)
            .ToList();
        if (claims.Count == 0)
        {
            return Verdict(1, "The reply makes no claims that need support from the knowledge.");
        }

        var snippets = knowledge.Select(JudgeText.Terms).Where(t => t.Count > 0).ToList();
        if (snippets.Count == 0)
        {
            var which = claims.Count == 1
                ? "the reply's one claim cannot"
                : string.Create(CultureInfo.InvariantCulture, $"none of the reply's {claims.Count} claims can");
            return Verdict(0, $"No knowledge was retrieved for this message, so {which} be checked against it.");
        }

        var supported = claims
            .Select(c => (c.Text, c.Terms, Supported: snippets.Max(s => c.Terms.Keys.Count(s.Contains))))
            .ToList();
        var score = (double)supported.Sum(c => c.Supported) / supported.Sum(c => c.Terms.Count);
        var weakest = supported.OrderBy(c => (double)c.Supported / c.Terms.Count).First();
        var comment = string.Create(CultureInfo.InvariantCulture, $"{Math.Round(score * 100)}% of the reply's content is supported by the knowledge.");
        if (weakest.Supported < weakest.Terms.Count)
        {
            var unsupported = weakest.Terms.Where(t => !snippets.Exists(s => s.Contains(t.Key))).Select(t => t.Value).Order(StringComparer.Ordinal).ToList();
            comment += $" Least supported: {JudgeText.Quote(weakest.Text)}" +
                (unsupported.Count > 0 ? $" (not in the knowledge: {string.Join(", ", unsupported)})." : ".");
        }

        return Verdict(score, comment);
    }

    private JudgeVerdict Verdict(double score, string comment) => new()
    {
        Name = Name,
        Method = JudgeMethods.Heuristic,
        Score = Math.Round(Math.Clamp(score, 0, 1), 3),
        Comment = comment,
    };
}
