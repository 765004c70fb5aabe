using System.Diagnostics;

namespace Twin.Observability.Tracing;

/// <summary>The ended spans of one trace waiting for its root (<see cref="TraceScope.HoldUntilRootEnds"/>).</summary>
internal sealed class HeldSpans
{
    private readonly Lock _gate = new();
    private List<Activity>? _spans;
    private bool _released;

    /// <summary>Holds <paramref name="span"/>; false when the root has already ended (the span is the caller's to handle).</summary>
    public bool TryHold(Activity span)
    {
        lock (_gate)
        {
            if (_released)
            {
                return false;
            }

            (_spans ??= []).Add(span);
            return true;
        }
    }

    /// <summary>The held spans, in the order they ended; from now on nothing is held.</summary>
    public IReadOnlyList<Activity> Release()
    {
        lock (_gate)
        {
            _released = true;
            var spans = _spans ?? [];
            _spans = null;
            return spans;
        }
    }
}
