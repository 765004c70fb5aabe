using System.Text;

namespace Twin.Testing.Fakes.Langfuse;

// What tests ask the fake: the spans and requests it received. Every answer is a snapshot taken under the lock.
public sealed partial class FakeLangfuse
{
    /// <summary>Every span stored so far, in arrival order.</summary>
    public IReadOnlyList<ReceivedSpan> Spans
    {
        get
        {
            lock (_gate)
            {
                return [.. _spans];
            }
        }
    }

    /// <summary>Every request to the traces endpoint, including rejected ones and those answered in failure modes.</summary>
    public IReadOnlyList<ReceivedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Requests answered 401 (no or wrong credentials).</summary>
    public int RejectedRequests
    {
        get
        {
            lock (_gate)
            {
                return _requests.Count(r => r.StatusCode == 401);
            }
        }
    }

    /// <summary>The spans of one trace, ordered by start time.</summary>
    public IReadOnlyList<ReceivedSpan> SpansOf(string traceId)
    {
        lock (_gate)
        {
            return _spans.Where(s => IsTrace(s, traceId)).OrderBy(s => s.StartTime).ToList();
        }
    }

    /// <summary>
    /// Polls until the trace's spans satisfy <paramref name="until"/> (exporters batch and retry, so spans arrive
    /// late and in pieces) and returns them; throws <see cref="TimeoutException"/> describing what did arrive.
    /// </summary>
    public async Task<IReadOnlyList<ReceivedSpan>> WaitForTraceAsync(
        string traceId,
        Func<IReadOnlyList<ReceivedSpan>, bool> until,
        TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var spans = SpansOf(traceId);
            if (until(spans))
            {
                return spans;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(Describe($"Trace {traceId} did not reach the expected state within {timeout.TotalSeconds:0.###} s.", traceId));
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>Waits until the trace has at least <paramref name="spanCount"/> spans.</summary>
    public Task<IReadOnlyList<ReceivedSpan>> WaitForTraceAsync(string traceId, int spanCount, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        WaitForTraceAsync(traceId, spans => spans.Count >= spanCount, timeout, cancellationToken);

    /// <summary>
    /// The trace's root: the one span without a parent span id, as Langfuse v4 reads a root. A trace with another
    /// number of parentless spans, or with a span whose parent never arrived, is an error the test sees.
    /// </summary>
    public ReceivedSpan RootOf(string traceId)
    {
        var roots = RootsOf(traceId);
        return roots.Count == 1
            ? roots[0]
            : throw new InvalidOperationException(Describe($"Trace {traceId} has {roots.Count} root spans, expected one.", traceId));
    }

    /// <summary>
    /// The spans of a trace without a parent, in arrival order: one per chat when several chats share a caller's trace.
    /// Throws when a span of the trace names a parent Langfuse never received (a root hung off the caller's span).
    /// </summary>
    public IReadOnlyList<ReceivedSpan> RootsOf(string traceId)
    {
        var spans = SpansOf(traceId);
        var ids = spans.Select(s => s.SpanId).ToHashSet(StringComparer.Ordinal);
        var orphans = spans.Where(s => s.ParentSpanId is not null && !ids.Contains(s.ParentSpanId)).ToList();
        if (orphans.Count > 0)
        {
            throw new InvalidOperationException(Describe($"Trace {traceId} has spans whose parent Langfuse never received: {string.Join(", ", orphans.Select(o => o.Name))}.", traceId));
        }

        return spans.Where(s => s.ParentSpanId is null).ToList();
    }

    /// <summary>
    /// Spans whose parent never arrived although every export was accepted: Langfuse would show them detached from
    /// their trace. Checked when the fake is disposed; exports answered in a failure mode may have lost parents for real.
    /// </summary>
    public IReadOnlyList<ReceivedSpan> OrphanSpans()
    {
        lock (_gate)
        {
            if (_requests.Any(r => r.StatusCode != 200 || r.Error is not null))
            {
                return [];
            }

            var ids = _spans.Select(s => (s.TraceId, s.SpanId)).ToHashSet();
            return _spans.Where(s => s.ParentSpanId is not null && !ids.Contains((s.TraceId, s.ParentSpanId))).ToList();
        }
    }

    /// <summary>
    /// Waits, at most <paramref name="within"/>, until every span's parent has arrived. An app exports a root after its
    /// children, often in a later batch; work still running in the app's worker (an evaluation that has posted its
    /// scores but not yet ended its root) would lose that batch if the worker were stopped first. Call it before
    /// stopping the app; what is still orphaned afterwards is reported when the fake is disposed.
    /// </summary>
    public async Task WaitForParentsAsync(TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (OrphanSpans().Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100).ConfigureAwait(false);
        }
    }

    /// <summary>The spans whose parent is <paramref name="span"/>, ordered by start time.</summary>
    public IReadOnlyList<ReceivedSpan> ChildrenOf(ReceivedSpan span)
    {
        ArgumentNullException.ThrowIfNull(span);
        return SpansOf(span.TraceId).Where(s => s.ParentSpanId == span.SpanId).ToList();
    }

    /// <summary>
    /// Forgets every span and request (OTLP and REST), for tests that share one fake. Stored prompts, scores, datasets,
    /// items and schema violations stay.
    /// </summary>
    public void Clear()
    {
        lock (_gate)
        {
            _spans.Clear();
            _requests.Clear();
            _restRequests.Clear();
        }
    }

    private static bool IsTrace(ReceivedSpan span, string traceId) => span.TraceId.Equals(traceId, StringComparison.OrdinalIgnoreCase);

    private string Describe(string headline, string traceId)
    {
        var text = new StringBuilder(headline).AppendLine();
        var spans = SpansOf(traceId);
        text.AppendLine(FormattableString.Invariant($"Spans of the trace ({spans.Count}):"));
        foreach (var span in spans)
        {
            text.Append("  ").AppendLine(span.ToString());
        }

        lock (_gate)
        {
            text.AppendLine(FormattableString.Invariant($"All spans: {_spans.Count}, in traces {string.Join(", ", _spans.Select(s => s.TraceId).Distinct())}"));
            text.AppendLine(FormattableString.Invariant($"Requests ({_requests.Count}):"));
            foreach (var request in _requests)
            {
                text.Append("  ").AppendLine(request.ToString());
            }
        }

        return text.ToString();
    }
}
