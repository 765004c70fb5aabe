using System.Diagnostics;

namespace Twin.Observability.Tracing;

/// <summary>
/// The trace-level facts of one request (name, user, session, tags, environment, release, metadata). It rides on the
/// root span and is inherited by its in-process children; <see cref="TraceScopeProcessor"/> writes it onto every span
/// as it ends, because Langfuse v4 filters on attributes of each observation, not of a trace record. Tags added late
/// (an <c>error:*</c> tag) reach every span that ends after them, including the root.
/// </summary>
public sealed class TraceScope
{
    internal const string PropertyName = "twin.trace-scope";

    // Guards the copy-on-write of the tags and of the metadata (readers take the published reference).
    private readonly Lock _tagsGate = new();

    // Sorted and never changed once published: every span that ends shares the current array (it is written on ~10
    // spans a request, a tag is added once or twice), so a new tag replaces it rather than each span sorting a copy.
    private string[] _tags = [];

    // The metadata as span attributes, their names prefixed once per metadata dictionary instead of once per span;
    // rebuilt when AddMetadata swaps the dictionary.
    private MetadataAttributes? _metadataAttributes;

    public required string Name { get; init; }

    /// <summary>The app instance that started the trace; only its exporter sends the trace's spans.</summary>
    public TraceOwner? Owner { get; init; }

    public string? UserId { get; set; }

    public string? SessionId { get; set; }

    private string _environment = "";

    /// <summary>The trace's environment; set again when the caller turns out to be a synthetic check (before any span of the pipeline ends).</summary>
    public required string Environment
    {
        get => Volatile.Read(ref _environment);
        set => Volatile.Write(ref _environment, value);
    }

    public string? Release { get; init; }

    private IReadOnlyDictionary<string, string> _metadata = new Dictionary<string, string>();

    /// <summary>The trace's metadata: the app's own keys (set at the start) and the request's (added once read).</summary>
    public IReadOnlyDictionary<string, string> Metadata
    {
        get => _metadata;
        init => _metadata = value;
    }

    /// <summary>
    /// Adds the request's metadata; spans that end from now on carry it. The app's own keys win over the caller's, so
    /// a request cannot relabel the twin a trace belongs to. The dictionary is swapped whole, never changed in place,
    /// because spans may end on other threads while it is read.
    /// </summary>
    public void AddMetadata(IReadOnlyDictionary<string, string> requestMetadata)
    {
        if (requestMetadata.Count == 0)
        {
            return;
        }

        lock (_tagsGate)
        {
            var merged = new Dictionary<string, string>(requestMetadata, StringComparer.Ordinal);
            foreach (var (key, value) in _metadata)
            {
                merged[key] = value;
            }

            Volatile.Write(ref _metadata, merged);
        }
    }

    /// <summary>
    /// Sets one of the app's own metadata keys, learnt during the request (the A/B test a chat joined); it wins over
    /// the caller's. A null value removes the key.
    /// </summary>
    public void SetMetadata(string key, string? value)
    {
        lock (_tagsGate)
        {
            var next = new Dictionary<string, string>(_metadata, StringComparer.Ordinal);
            if (value is null)
            {
                next.Remove(key);
            }
            else
            {
                next[key] = value;
            }

            Volatile.Write(ref _metadata, next);
        }
    }

    /// <summary>
    /// The exporter holds the trace's spans until its root ends, then sends them all, or none when the trace was
    /// <see cref="Drop">dropped</see>: a chat learns only at its end whether it was a refusal that is counted rather
    /// than traced, after its first child spans ended (<see cref="OwnedBatchExportProcessor"/>).
    /// </summary>
    public bool HoldUntilRootEnds { get; init; }

    private volatile bool _dropped;

    /// <summary>Whether the trace's spans are to be dropped rather than exported.</summary>
    public bool Dropped => _dropped;

    /// <summary>
    /// Drops the trace: none of its spans is exported by the app's exporter, and its root (when given, before it ends)
    /// loses its sampled flag, so other exporters (Azure Monitor) skip it too.
    /// </summary>
    public void Drop(Activity? root)
    {
        _dropped = true;
        if (root is not null)
        {
            root.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
        }
    }

    internal HeldSpans Held { get; } = new();

    internal bool IsRootOf(Activity activity) => ReferenceEquals(activity.GetCustomProperty(PropertyName), this);

    /// <summary>The trace's tags in ordinal order (a snapshot: tags added later are not in it).</summary>
    public IReadOnlyList<string> Tags => Volatile.Read(ref _tags);

    public void AddTag(string tag) => ReplaceTag(null, tag);

    /// <summary>Replaces <paramref name="old"/> (when present) by <paramref name="tag"/>: a label learnt to be wrong, such as the twin a request named before it was looked up.</summary>
    public void ReplaceTag(string? old, string tag)
    {
        lock (_tagsGate)
        {
            var current = _tags;
            if (old is not null && old != tag && Array.BinarySearch(current, old, StringComparer.Ordinal) is >= 0 and var at)
            {
                current = [.. current[..at], .. current[(at + 1)..]];
                Volatile.Write(ref _tags, current);
            }

            var index = Array.BinarySearch(current, tag, StringComparer.Ordinal);
            if (index >= 0)
            {
                return;
            }

            index = ~index;
            var next = new string[current.Length + 1];
            Array.Copy(current, next, index);
            next[index] = tag;
            Array.Copy(current, index, next, index + 1, current.Length - index);
            Volatile.Write(ref _tags, next);
        }
    }

    /// <summary>Attaches this scope to <paramref name="root"/>; children started under it inherit it.</summary>
    public void AttachTo(Activity root) => root.SetCustomProperty(PropertyName, this);

    public static TraceScope? Of(Activity? activity)
    {
        for (var current = activity; current is not null; current = current.Parent)
        {
            if (current.GetCustomProperty(PropertyName) is TraceScope scope)
            {
                return scope;
            }
        }

        return null;
    }

    internal void WriteTo(Activity activity)
    {
        // Only this method writes the trace-level attributes, once per span as it ends, so they are appended (AddTag)
        // rather than looked up first (SetTag walks the span's tags); an unknown value is left out, as SetTag would.
        activity.AddTag(LangfuseAttributes.TraceName, Name);
        AddIfKnown(activity, LangfuseAttributes.UserId, UserId);
        AddIfKnown(activity, LangfuseAttributes.SessionId, SessionId);
        activity.AddTag(LangfuseAttributes.TraceTags, Volatile.Read(ref _tags));
        activity.AddTag(LangfuseAttributes.Environment, Environment);
        AddIfKnown(activity, LangfuseAttributes.Release, Release);
        var metadata = Volatile.Read(ref _metadata);
        var attributes = _metadataAttributes;
        if (!ReferenceEquals(attributes?.Source, metadata))
        {
            attributes = new MetadataAttributes(metadata, [.. metadata.Select(m => new KeyValuePair<string, object?>(LangfuseAttributes.TraceMetadataPrefix + m.Key, m.Value))]);
            _metadataAttributes = attributes;
        }

        foreach (var (key, value) in attributes.Attributes)
        {
            activity.AddTag(key, value);
        }
    }

    private static void AddIfKnown(Activity activity, string key, string? value)
    {
        if (value is not null)
        {
            activity.AddTag(key, value);
        }
    }

    private sealed record MetadataAttributes(IReadOnlyDictionary<string, string> Source, KeyValuePair<string, object?>[] Attributes);
}
