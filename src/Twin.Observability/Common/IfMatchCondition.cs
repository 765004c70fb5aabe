using System.Net.Http.Headers;

namespace Twin.Observability.Common;

/// <summary>
/// An <c>If-Match</c> precondition (RFC 9110 §13.1.1): absent (last writer wins), <c>*</c> (any stored version), or
/// entity-tags, one of which must be the stored version. A value that is not a well-formed list of entity-tags can
/// never match, so it is a 412 like a stale tag, and it is never sent to storage.
/// </summary>
public sealed class IfMatchCondition
{
    private readonly IReadOnlyList<string>? _opaqueTags;

    private IfMatchCondition(bool isPresent, IReadOnlyList<string>? opaqueTags)
    {
        IsPresent = isPresent;
        _opaqueTags = opaqueTags;
    }

    public static IfMatchCondition None { get; } = new(false, null);

    public static IfMatchCondition Any { get; } = new(true, null);

    /// <summary>Whether the caller gave a precondition at all.</summary>
    public bool IsPresent { get; }

    /// <summary>A header that is not a well-formed list of entity-tags: it matches nothing.</summary>
    public static IfMatchCondition Malformed { get; } = new(true, []);

    /// <summary>Entity-tags as parsed from the header (quoted, with or without <c>W/</c>), one of which must be the stored version.</summary>
    public static IfMatchCondition Of(IEnumerable<string> entityTags)
    {
        ArgumentNullException.ThrowIfNull(entityTags);
        var opaque = new List<string>();
        foreach (var tag in entityTags)
        {
            if (OpaqueTag(tag) is not { } value)
            {
                return Malformed;
            }

            opaque.Add(value);
        }

        return opaque.Count == 0 ? Malformed : new IfMatchCondition(true, opaque);
    }

    /// <summary>
    /// Whether the stored version <paramref name="storedETag"/> satisfies the condition. Table ETags are weak
    /// (<c>W/"…"</c>), so tags compare by their opaque part (RFC 9110's weak comparison); the strong comparison the RFC
    /// asks for would make every Table ETag fail.
    /// </summary>
    public bool Matches(string? storedETag)
    {
        if (!IsPresent || _opaqueTags is null)
        {
            return true;
        }

        return OpaqueTag(storedETag ?? "") is { } stored && _opaqueTags.Contains(stored, StringComparer.Ordinal);
    }

    /// <summary>
    /// The ETag a conditional write must carry: any version without a precondition (last writer wins), the stored one
    /// when the precondition names it, else a <see cref="PreconditionFailedException"/> naming <paramref name="resource"/>.
    /// </summary>
    public Azure.ETag ExpectedFor(string storedETag, string resource)
    {
        if (!IsPresent)
        {
            return Azure.ETag.All;
        }

        return Matches(storedETag)
            ? new Azure.ETag(storedETag)
            : throw new PreconditionFailedException($"{resource} is not at the version If-Match names; read it again and retry.");
    }

    // The opaque part of an entity-tag; null when it is not one. Parsing is the BCL's (RFC 9110 entity-tag syntax).
    private static string? OpaqueTag(string entityTag) =>
        EntityTagHeaderValue.TryParse(entityTag, out var parsed) && parsed.Tag is { Length: >= 2 } quoted && !parsed.Equals(EntityTagHeaderValue.Any)
            ? quoted[1..^1]
            : null;
}
