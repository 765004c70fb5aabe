using System.Text.Json;
using Twin.Observability.Datasets.Export;
using Twin.Observability.Datasets.Export.Formats;
using Xunit;

namespace Twin.Observability.Tests.Datasets.Export;

/// <summary>
/// Examples with what formats get wrong (no system prompt, history, non-ASCII text, quotes, newlines, commas, tabs),
/// written through a format, and the plain readings of the result the format tests compare them with.
/// </summary>
internal static class ExportSamples
{
    public const string User = ExportMessage.UserRole;
    public const string Assistant = ExportMessage.AssistantRole;

    public static ExportExample Plain { get; } = new()
    {
        Id = "single",
        User = "Which tool do you use for tracing?",
        Assistant = "Langfuse, over OpenTelemetry.",
        Rejected = "No idea.",
    };

    public static ExportExample Rich { get; } = new()
    {
        Id = "rich",
        System = "You are Ada's twin.\nAnswer \"briefly\", in her words.",
        History =
        [
            new(User, "Grüße 👋, who are you?"),
            new(Assistant, "Ada's twin, \"at your service\".\nAsk away."),
            new(User, "Tea, or coffee?"),
            new(Assistant, "Tea, always."),
        ],
        User = "Prices: 1,5 € or 2,5 €?\r\nSay \"which\".",
        Assistant = "Grüße 👋 — 1,5 €, \"of course\".\nBye.",
        Rejected = "I don't know.",
        Scores = new Dictionary<string, double>(StringComparer.Ordinal) { ["relevance"] = 0.9, ["groundedness"] = 0.75 },
        SourceTraceId = "trace-1",
        SourceObservationId = "obs-1",
        TwinId = "ada",
        PromptName = "twin-system",
        PromptVersion = 3,
        Model = "gpt-4.1-mini",
    };

    public static ExportExample OneTurnBefore { get; } = new()
    {
        Id = "one-turn",
        System = "Be brief.",
        History = [new(User, "Hi"), new(Assistant, "Hello, \"you\".")],
        User = "Tabs\tand, commas",
        Assistant = "Sure,\tdone.",
        Rejected = "No.",
    };

    public static IReadOnlyList<ExportExample> All { get; } = [Plain, Rich, OneTurnBefore];

    public static IExportFormat Format(string name) => ExportFormats.Find(name) ?? throw new ArgumentException($"no format '{name}'", nameof(name));

    public static Task<byte[]> WriteAsync(string formatName) => WriteAsync(Format(formatName), All);

    public static async Task<byte[]> WriteAsync(IExportFormat format, IEnumerable<ExportExample> examples)
    {
        using var stream = new MemoryStream();
        var writer = format.CreateWriter(stream);
        foreach (var example in examples)
        {
            Assert.Null(format.Check(example));
            await writer.WriteAsync(example, default);
        }

        await writer.CompleteAsync(default);
        Assert.True(stream.CanWrite, "the writer closed the stream");
        return stream.ToArray();
    }

    /// <summary>Writes <see cref="All"/> and hands each parsed line to <paramref name="assert"/> with its example.</summary>
    public static async Task AssertEachLineAsync(string formatName, Action<JsonElement, ExportExample> assert)
    {
        var lines = ReadLines(await WriteAsync(formatName));

        Assert.Equal(All.Count, lines.Count);
        for (var i = 0; i < All.Count; i++)
        {
            assert(lines[i], All[i]);
        }
    }

    /// <summary>Each line parsed on its own, as a trainer reads JSON Lines: every line ends with a newline, none is blank.</summary>
    public static List<JsonElement> ReadLines(byte[] file)
    {
        var text = file.AsMemory();
        if (text.Span.StartsWith(Bom))
        {
            text = text[Bom.Length..];
        }

        Assert.Equal((byte)'\n', text.Span[^1]);
        var lines = new List<JsonElement>();
        while (text.Length > 0)
        {
            var end = text.Span.IndexOf((byte)'\n');
            using var line = JsonDocument.Parse(text[..end]);
            lines.Add(line.RootElement.Clone());
            text = text[(end + 1)..];
        }

        return lines;
    }

    public static ReadOnlySpan<byte> Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>The whole conversation, reply last, as (role, content): what chat formats must carry.</summary>
    public static List<(string Role, string Content)> Conversation(ExportExample example)
    {
        var messages = new List<(string, string)>();
        if (!string.IsNullOrEmpty(example.System))
        {
            messages.Add(("system", example.System));
        }

        messages.AddRange(example.History.Select(m => (m.Role, m.Content)));
        messages.Add((User, example.User));
        messages.Add((Assistant, example.Assistant));
        return messages;
    }

    public static List<(string Role, string Content)> Prompt(ExportExample example) => Conversation(example)[..^1];

    public static List<(string Role, string Content)> RolesAndContents(JsonElement messages) =>
        messages.EnumerateArray().Select(m => (m.GetProperty("role").GetString()!, m.GetProperty("content").GetString()!)).ToList();

    public static List<string> PropertyNames(JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToList();
}
