using System.Collections.Concurrent;
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

    private readonly ConcurrentDictionary<string, byte> _tags = new(StringComparer.Ordinal);

    public required string Name { get; init; }

    /// <summary>The app instance that started the trace; only its exporter sends the trace's spans.</summary>
    public TraceOwner? Owner { get; init; }

    public string? UserId { get; set; }

    public string? SessionId { get; set; }

    public required string Environment { get; init; }

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

        var merged = new Dictionary<string, string>(requestMetadata, StringComparer.Ordinal);
        foreach (var (key, value) in _metadata)
        {
            merged[key] = value;
        }

        _metadata = merged;
    }

    public IReadOnlyList<string> Tags => _tags.Keys.Order(StringComparer.Ordinal).ToList();

    public void AddTag(string tag) => _tags.TryAdd(tag, 0);

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
        activity.SetTag(LangfuseAttributes.TraceName, Name);
        activity.SetTag(LangfuseAttributes.UserId, UserId);
        activity.SetTag(LangfuseAttributes.SessionId, SessionId);
        activity.SetTag(LangfuseAttributes.TraceTags, Tags.ToArray());
        activity.SetTag(LangfuseAttributes.Environment, Environment);
        activity.SetTag(LangfuseAttributes.Release, Release);
        foreach (var (key, value) in Metadata)
        {
            activity.SetTag(LangfuseAttributes.TraceMetadataPrefix + key, value);
        }
    }
}
