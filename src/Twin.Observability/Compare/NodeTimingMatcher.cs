using System.Text.Json;

namespace Twin.Observability.Compare;

/// <summary>
/// Lines up two chats' node timings (the ledger's <c>NodeTimings</c> JSON) by node name, in the order the first chat
/// ran them, then the nodes only the second ran; a node missing on one side has null there and no delta.
/// </summary>
public static class NodeTimingMatcher
{
    public static IReadOnlyList<NodeTimingDelta> Match(string? a, string? b)
    {
        var left = Parse(a);
        var right = Parse(b);
        var rightByName = right.ToDictionary(n => n.Node, n => n.Milliseconds, StringComparer.Ordinal);
        var leftNames = left.Select(n => n.Node).ToHashSet(StringComparer.Ordinal);
        var matched = left.Select(n => rightByName.TryGetValue(n.Node, out var ms)
            ? new NodeTimingDelta(n.Node, n.Milliseconds, ms, ms - n.Milliseconds)
            : new NodeTimingDelta(n.Node, n.Milliseconds, null, null));
        var onlyRight = right.Where(n => !leftNames.Contains(n.Node)).Select(n => new NodeTimingDelta(n.Node, null, n.Milliseconds, null));
        return [.. matched, .. onlyRight];
    }

    /// <summary>
    /// The nodes of one timings object in order. A node that ran twice (a retried step) counts once, with its total
    /// time, so matching by name stays one to one; a row without timings, or with unreadable ones, has no nodes.
    /// </summary>
    public static IReadOnlyList<(string Node, long Milliseconds)> Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        var nodes = new List<(string Node, long Milliseconds)>();
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return [];
            }

            foreach (var node in document.RootElement.EnumerateObject())
            {
                if (node.Value.ValueKind != JsonValueKind.Number || !node.Value.TryGetInt64(out var ms))
                {
                    continue;
                }

                var at = nodes.FindIndex(n => n.Node == node.Name);
                if (at >= 0)
                {
                    nodes[at] = (node.Name, nodes[at].Milliseconds + ms);
                }
                else
                {
                    nodes.Add((node.Name, ms));
                }
            }
        }
        catch (JsonException)
        {
            // Timings are a diagnostic aid: unreadable ones leave the comparison without nodes rather than failing it.
            return [];
        }

        return nodes;
    }
}
