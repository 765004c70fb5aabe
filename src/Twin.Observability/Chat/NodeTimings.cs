using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Twin.Observability.Chat;

/// <summary>
/// How long each node of one chat's agent graph took, in the order they ran: kept on the ledger row as compact JSON
/// (<c>{"load-history":3,"generate":812}</c>, milliseconds) so trace comparison can line two chats up node by node
/// without Langfuse.
/// </summary>
public sealed class NodeTimings
{
    private readonly List<(string Node, long Milliseconds)> _nodes = new(8);

    public IReadOnlyList<(string Node, long Milliseconds)> Nodes => _nodes;

    public void Record(string node, long startTimestamp) =>
        _nodes.Add((node, (long)Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds));

    /// <summary>The timings as a JSON object; node names are the pipeline's own constants, so they need no escaping.</summary>
    public string ToJson()
    {
        var json = new StringBuilder(24 * _nodes.Count + 2).Append('{');
        foreach (var (node, ms) in _nodes)
        {
            if (json.Length > 1)
            {
                json.Append(',');
            }

            json.Append('"').Append(node).Append("\":").Append(ms.ToString(CultureInfo.InvariantCulture));
        }

        return json.Append('}').ToString();
    }
}
