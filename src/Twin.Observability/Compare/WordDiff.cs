using System.Text;
using DiffPlex;
using DiffPlex.Chunkers;

namespace Twin.Observability.Compare;

/// <summary>
/// A word-level diff of two texts (DiffPlex's <see cref="Differ"/> with <see cref="WordChunker"/>), as runs of equal,
/// deleted and inserted text: the equal and deleted runs spell the first text, the equal and inserted runs the second.
/// </summary>
public static class WordDiff
{
    public const string Equal = "equal";
    public const string Insert = "insert";
    public const string Delete = "delete";

    public static TextDiff Of(string? a, string? b)
    {
        a ??= "";
        b ??= "";
        if (a.Length == 0 && b.Length == 0)
        {
            return new TextDiff(1, false, []);
        }

        var result = Differ.Instance.CreateDiffs(a, b, ignoreWhiteSpace: false, ignoreCase: false, WordChunker.Instance);
        var runs = new RunBuilder();
        var nextOld = 0;
        foreach (var block in result.DiffBlocks)
        {
            // Pieces before a block are the same on both sides.
            runs.Add(Equal, result.PiecesOld, nextOld, block.DeleteStartA - nextOld);
            runs.Add(Delete, result.PiecesOld, block.DeleteStartA, block.DeleteCountA);
            runs.Add(Insert, result.PiecesNew, block.InsertStartB, block.InsertCountB);
            nextOld = block.DeleteStartA + block.DeleteCountA;
        }

        runs.Add(Equal, result.PiecesOld, nextOld, result.PiecesOld.Count - nextOld);
        var equalChars = runs.Runs.Where(r => r.Op == Equal).Sum(r => r.Text.Length);
        var similarity = 2.0 * equalChars / (a.Length + b.Length);
        return new TextDiff(Math.Round(similarity, 4), !string.Equals(a, b, StringComparison.Ordinal), runs.Runs);
    }

    // Adjacent pieces of one kind make one run, so a changed sentence reads as one deletion and one insertion.
    private sealed class RunBuilder
    {
        public List<DiffRun> Runs { get; } = [];

        public void Add(string op, IReadOnlyList<string> pieces, int start, int count)
        {
            if (count <= 0)
            {
                return;
            }

            var text = new StringBuilder();
            for (var i = start; i < start + count; i++)
            {
                text.Append(pieces[i]);
            }

            if (Runs is [.., var last] && last.Op == op)
            {
                Runs[^1] = last with { Text = last.Text + text };
            }
            else
            {
                Runs.Add(new DiffRun(op, text.ToString()));
            }
        }
    }
}
