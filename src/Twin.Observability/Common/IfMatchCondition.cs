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

    public static IfMatchCondition Parse(string? header)
    {
        var value = header?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return None;
        }

        if (value == "*")
        {
            return Any;
        }

        var tags = new List<string>();
        foreach (var element in value.Split(',', StringSplitOptions.TrimEntries))
        {
            if (OpaqueTag(element) is not { } tag)
            {
                // One malformed element makes the whole header malformed: it matches nothing.
                return new IfMatchCondition(true, []);
            }

            tags.Add(tag);
        }

        return new IfMatchCondition(true, tags);
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

    // entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE, etagc = %x21 / %x23-7E / obs-text; null when malformed.
    private static string? OpaqueTag(string element)
    {
        var tag = element.StartsWith("W/", StringComparison.Ordinal) ? element[2..] : element;
        if (tag.Length < 2 || tag[0] != '"' || tag[^1] != '"')
        {
            return null;
        }

        var opaque = tag[1..^1];
        return opaque.All(c => c == '!' || c is >= '#' and <= '~' || c >= '\u0080') ? opaque : null;
    }
}
