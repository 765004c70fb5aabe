using System.Globalization;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Twin.Functions.Tests.Dashboard;

/// <summary>One Server-Sent Event as it came over the wire.</summary>
internal sealed record SseEvent(string Type, string? Id, string Data, int? Retry)
{
    public JsonElement Json => JsonDocument.Parse(Data).RootElement.Clone();

    /// <summary>The trace ids of a dashboard stream event, in the order sent.</summary>
    public IReadOnlyList<string> TraceIds =>
        Json.TryGetProperty("traces", out var traces) ? traces.EnumerateArray().Select(t => t.GetProperty("traceId").GetString()!).ToList() : [];
}

/// <summary>
/// Reads a <c>text/event-stream</c> body line by line as the HTML standard's parser does (fields, comments, blank line
/// ending an event); written here rather than taken from the runtime so the test checks the wire, not the formatter.
/// </summary>
internal sealed class SseReader(HttpResponseMessage response, Stream body) : IDisposable
{
    private readonly StreamReader _reader = new(body, Encoding.UTF8);

    public HttpResponseMessage Response => response;

    /// <summary>Opens <paramref name="path"/> as an event stream; the caller checks the status.</summary>
    public static async Task<SseReader> OpenAsync(HttpClient client, string path, string? lastEventId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        return new SseReader(response, await response.Content.ReadAsStreamAsync(cancellationToken));
    }

    /// <summary>The next event, or null when the response ended.</summary>
    public async Task<SseEvent?> NextAsync(CancellationToken cancellationToken)
    {
        string? type = null;
        string? id = null;
        int? retry = null;
        var data = new List<string>();
        var any = false;
        while (await _reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (any)
                {
                    return new SseEvent(type ?? "message", id, string.Join('\n', data), retry);
                }

                continue;
            }

            if (line[0] == ':')
            {
                continue;
            }

            any = true;
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..];
            value = value.StartsWith(' ') ? value[1..] : value;
            switch (field)
            {
                case "event": type = value; break;
                case "id": id = value; break;
                case "data": data.Add(value); break;
                case "retry": retry = int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture); break;
                default: break;
            }
        }

        return null;
    }

    /// <summary>Reads events until one satisfies <paramref name="found"/>; every event read, that one last.</summary>
    public async Task<IReadOnlyList<SseEvent>> UntilAsync(Func<SseEvent, bool> found, CancellationToken cancellationToken)
    {
        var events = new List<SseEvent>();
        while (true)
        {
            var next = await NextAsync(cancellationToken);
            Assert.True(next is not null, $"the stream ended before the event looked for; read: {string.Join(" | ", events.Select(e => e.Type + " " + e.Data))}");
            events.Add(next);
            if (found(next))
            {
                return events;
            }
        }
    }

    public void Dispose()
    {
        _reader.Dispose();
        response.Dispose();
    }
}
