using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Twin.Testing.Fakes.Langfuse.OpenApi;

namespace Twin.Testing.Fakes.Langfuse;

// Prompt management: prompts seeded by tests, read by label or version (GET /api/public/v2/prompts/{name}) and listed.
public sealed partial class FakeLangfuse
{
    public const string PromptsPath = "/api/public/v2/prompts";

    /// <summary>The label a prompt is fetched by when the request names neither label nor version.</summary>
    public const string DefaultPromptLabel = "production";

    /// <summary>The label Langfuse keeps on the newest version of each prompt; it cannot be assigned.</summary>
    public const string LatestPromptLabel = "latest";

    private const string PromptByNamePath = PromptsPath + "/{promptName}";

    private readonly List<StoredPrompt> _prompts = [];
    private readonly Dictionary<string, IReadOnlyList<string>> _promptTags = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _promptFetches = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonElement> _malformedPrompts = new(StringComparer.Ordinal);

    /// <summary>Every stored prompt version, by name then version.</summary>
    public IReadOnlyList<FakePromptVersion> Prompts
    {
        get
        {
            lock (_gate)
            {
                return _prompts.OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Version).Select(Snapshot).ToList();
            }
        }
    }

    /// <summary>
    /// Stores version <paramref name="version"/> of a prompt: a text prompt when <paramref name="prompt"/> is a string,
    /// a chat prompt when it serializes to an array of messages (<c>new[] { new { role = "system", content = "…" } }</c>).
    /// Each label is taken from whichever version of the name had it; <c>latest</c> follows the newest version by
    /// itself. <paramref name="config"/> defaults to <c>{}</c>; <paramref name="tags"/>, when given, become the tags of
    /// every version of the name. The result must be a prompt the spec allows, and the version must be new.
    /// </summary>
    public FakePromptVersion AddPrompt(string name, int version, object prompt, IEnumerable<string>? labels = null, object? config = null, IEnumerable<string>? tags = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        ArgumentNullException.ThrowIfNull(prompt);
        var content = JsonSerializer.SerializeToElement(prompt, Json);
        var type = content.ValueKind switch
        {
            JsonValueKind.String => "text",
            JsonValueKind.Array => "chat",
            _ => throw new ArgumentException($"A prompt is a string (text) or a list of messages (chat), not JSON {content.ValueKind}.", nameof(prompt)),
        };
        var assigned = CheckedLabels(labels);
        var stored = new StoredPrompt(name, version, type, content, ToJson(config) ?? JsonSerializer.SerializeToElement(new { }), assigned, DateTimeOffset.UtcNow);
        var tagList = tags?.Distinct(StringComparer.Ordinal).ToList();

        // What GET would answer for it must be a Prompt as the spec defines one.
        var shape = JsonSerializer.SerializeToElement(PromptJson(new FakePromptVersion(name, version, type, content, stored.Config, assigned, tagList ?? [], stored.UpdatedAt)), Json);
        if (LangfuseOpenApi.ValidateComponent("Prompt", shape) is { Count: > 0 } errors)
        {
            throw new ArgumentException($"Not a prompt Langfuse could return: {string.Join("; ", errors)}", nameof(prompt));
        }

        lock (_gate)
        {
            if (_prompts.Exists(p => p.Name == name && p.Version == version))
            {
                throw new ArgumentException($"Prompt {name} already has version {version}; versions are immutable, add a new one.", nameof(version));
            }

            MoveLabels(name, assigned);
            _prompts.Add(stored);
            if (tagList is not null)
            {
                _promptTags[name] = tagList;
            }

            return Snapshot(stored);
        }
    }

    /// <summary>
    /// Replaces the labels of an existing version, taking each from whichever version had it (as Langfuse's
    /// <c>PATCH …/versions/{version}</c> with <c>newLabels</c> does).
    /// </summary>
    public FakePromptVersion SetPromptLabels(string name, int version, IEnumerable<string> labels)
    {
        var assigned = CheckedLabels(labels);
        lock (_gate)
        {
            var index = _prompts.FindIndex(p => p.Name == name && p.Version == version);
            if (index < 0)
            {
                throw new ArgumentException($"Prompt {name} has no version {version}.", nameof(version));
            }

            MoveLabels(name, assigned);
            _prompts[index] = _prompts[index] with { Labels = assigned, UpdatedAt = DateTimeOffset.UtcNow };
            return Snapshot(_prompts[index]);
        }
    }

    /// <summary>
    /// From now on answers every <c>GET /api/public/v2/prompts/{name}</c> for <paramref name="name"/> with
    /// <paramref name="body"/> as it is (200), however the spec defines a prompt: a broken Langfuse, for testing the
    /// app's defences. Unlike <see cref="AddPrompt"/> nothing is checked, and the answer is not reported as the fake's bug.
    /// </summary>
    public void ServeMalformedPrompt(string name, object body)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var json = JsonSerializer.SerializeToElement(body, Json);
        lock (_gate)
        {
            _malformedPrompts[name] = json;
        }
    }

    /// <summary>How many <c>GET /api/public/v2/prompts/{name}</c> requests named this prompt, whatever the answer.</summary>
    public int PromptFetchCount(string name)
    {
        lock (_gate)
        {
            return _promptFetches.GetValueOrDefault(name);
        }
    }

    private void MapPrompts(WebApplication app)
    {
        app.MapGet(PromptsPath, (Delegate)((HttpContext context) => ServeAsync(context, PromptsPath, (c, _) => ListPrompts(c))));
        // Catch-all, so that a folder name sent unencoded ("a/b") is served too; encoded ones arrive as "a%2Fb".
        app.MapGet(PromptsPath + "/{**promptName}", (Delegate)((HttpContext context) =>
        {
            var name = PathParameter(context, "promptName");
            lock (_gate)
            {
                _promptFetches[name] = _promptFetches.GetValueOrDefault(name) + 1;
            }

            return ServeAsync(context, PromptByNamePath, (c, _) => GetPrompt(c, name));
        }));
    }

    private RestAnswer GetPrompt(HttpContext context, string name)
    {
        var label = Query(context, "label");
        var versionText = Query(context, "version");
        int? version = null;
        if (versionText is not null)
        {
            if (!int.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                return RestAnswer.Invalid([new SchemaError("/version", $"version must be an integer, not '{versionText}'")]);
            }

            version = parsed;
        }

        if (version is not null && label is not null)
        {
            return RestAnswer.Invalid([new SchemaError("", "give either version or label, not both")]);
        }

        lock (_gate)
        {
            if (_malformedPrompts.TryGetValue(name, out var malformed))
            {
                return RestAnswer.Unchecked(malformed);
            }

            var versions = _prompts.Where(p => p.Name == name).ToList();
            var match = version is { } wanted ? versions.Find(p => p.Version == wanted)
                : label == LatestPromptLabel ? versions.MaxBy(p => p.Version)
                : versions.Find(p => p.Labels.Contains(label ?? DefaultPromptLabel));
            return match is not null
                ? RestAnswer.Ok(PromptJson(Snapshot(match)))
                : RestAnswer.NotFound($"Prompt not found: '{name}' with {(version is { } v ? $"version {v}" : $"label '{label ?? DefaultPromptLabel}'")}");
        }
    }

    private RestAnswer ListPrompts(HttpContext context)
    {
        if (!TryPaging(context, out var page, out var limit, out var invalid))
        {
            return invalid!;
        }

        var name = Query(context, "name");
        var label = Query(context, "label");
        var tag = Query(context, "tag");
        lock (_gate)
        {
            var metas = _prompts
                .Select(Snapshot)
                .Where(p => name is null || p.Name == name)
                .Where(p => label is null || p.Labels.Contains(label))
                .Where(p => tag is null || p.Tags.Contains(tag))
                .GroupBy(p => p.Name, StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToList();
            return RestAnswer.Ok(Paged(metas, page, limit, versions =>
            {
                var newest = versions.MaxBy(v => v.Version)!;
                return new
                {
                    name = versions.Key,
                    type = newest.Type,
                    versions = versions.Select(v => v.Version).Order().ToList(),
                    labels = versions.OrderBy(v => v.Version).SelectMany(v => v.Labels).Distinct().ToList(),
                    tags = newest.Tags,
                    lastUpdatedAt = Iso(versions.Max(v => v.UpdatedAt)),
                    lastConfig = newest.Config,
                };
            }));
        }
    }

    private static List<string> CheckedLabels(IEnumerable<string>? labels)
    {
        var list = (labels ?? []).Distinct(StringComparer.Ordinal).ToList();
        if (list.Contains(LatestPromptLabel))
        {
            throw new ArgumentException($"'{LatestPromptLabel}' is kept on the newest version by Langfuse and cannot be assigned.", nameof(labels));
        }

        return list.Exists(string.IsNullOrWhiteSpace) ? throw new ArgumentException("Labels must not be empty.", nameof(labels)) : list;
    }

    // Labels are unique across the versions of a name: assigning one takes it from the version that had it. Under _gate.
    private void MoveLabels(string name, List<string> labels)
    {
        for (var i = 0; i < _prompts.Count; i++)
        {
            if (_prompts[i].Name == name && _prompts[i].Labels.Any(labels.Contains))
            {
                _prompts[i] = _prompts[i] with { Labels = _prompts[i].Labels.Except(labels).ToList() };
            }
        }
    }

    // Under _gate.
    private FakePromptVersion Snapshot(StoredPrompt stored)
    {
        var newest = _prompts.Where(p => p.Name == stored.Name).Max(p => p.Version);
        IReadOnlyList<string> labels = stored.Version == newest ? [.. stored.Labels, LatestPromptLabel] : stored.Labels;
        return new FakePromptVersion(stored.Name, stored.Version, stored.Type, stored.Prompt, stored.Config, labels, _promptTags.GetValueOrDefault(stored.Name) ?? [], stored.UpdatedAt);
    }

    private static object PromptJson(FakePromptVersion prompt) => new
    {
        name = prompt.Name,
        version = prompt.Version,
        type = prompt.Type,
        prompt = prompt.Prompt,
        config = prompt.Config,
        labels = prompt.Labels,
        tags = prompt.Tags,
        commitMessage = (string?)null,
        resolutionGraph = (object?)null,
    };

    private sealed record StoredPrompt(string Name, int Version, string Type, JsonElement Prompt, JsonElement Config, IReadOnlyList<string> Labels, DateTimeOffset UpdatedAt);
}
