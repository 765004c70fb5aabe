using System.Globalization;
using Twin.Observability.Evaluation;
using Twin.Observability.Ledger;

namespace Twin.Benchmarks.Metrics;

/// <summary>
/// A deterministic ledger of <c>rows</c> chats over <c>days</c> days ending at <see cref="End"/>, produced hour by
/// hour in time order (so the whole month is never in memory, and Azurite's key indexes grow at their end). The mix
/// is what the rollups have to cope with: 5 twins, 3 endpoints, 2 models, a prompt version that changes half-way, an
/// A/B test on one twin for the last third, ~3 % errors of 3 types, log-normal latencies, 3 judge scores on most
/// successful chats, token costs, node timings and the start of message and reply. Traffic follows the time of day.
/// </summary>
internal sealed class SyntheticLedger(long rows, int days, DateTimeOffset end, int seed = 42)
{
    private static readonly (string Id, double Weight)[] Twins = [("ada-lovelace", 0.35), ("grace-hopper", 0.25), ("alan-turing", 0.2), ("edsger-dijkstra", 0.12), ("barbara-liskov", 0.08)];
    private static readonly (string Name, double Weight)[] Endpoints = [("chat", 0.55), ("chat-widget", 0.35), ("public-chat", 0.10)];
    private static readonly (string Type, int Status, double Weight)[] Errors = [("rate_limited", 429, 0.5), ("llm_timeout", 504, 0.3), ("llm_error", 502, 0.2)];
    private static readonly string[] Nodes = ["load-history", "retrieve-knowledge", "select-few-shot", "build-prompt", "generate", "post-process", "save-history"];

    private static readonly string[] Messages =
    [
        "What did you work on first?",
        "Can you explain how the analytical engine would have computed Bernoulli numbers, step by step?",
        "Tell me about your time at Harvard and the Mark I. What was the hardest bug you remember?",
        "How would you explain structured programming to a student who has only written spreadsheets and a few shell scripts so far?",
        "Hi!",
    ];

    private static readonly string[] Replies =
    [
        string.Concat(Enumerable.Repeat("The engine would hold the intermediate values on its columns of wheels, and the cards would say what to do with them. ", 3)),
        string.Concat(Enumerable.Repeat("We found a moth in relay seventy of panel F, and taped it into the log book with a note. ", 2)),
        string.Concat(Enumerable.Repeat("Think of a program as a few shapes put together: a sequence, a choice, a loop. Each has one way in and one way out, so you can reason about it piece by piece. ", 5)),
        "Hello! What would you like to talk about today?",
    ];

    private readonly Random _random = new(seed);

    public DateTimeOffset End { get; } = end;

    public DateTimeOffset Start => End - TimeSpan.FromDays(days);

    /// <summary>Each hour's rows, in time order; an hour's share of the rows follows a day curve peaking mid-afternoon UTC.</summary>
    public IEnumerable<IReadOnlyList<LedgerEntry>> Hours()
    {
        var hours = days * 24;
        var weights = Enumerable.Range(0, hours).Select(h => 1 + (0.6 * Math.Sin((((h % 24) - 9) / 24.0) * 2 * Math.PI))).ToArray();
        var total = weights.Sum();
        long written = 0;
        double share = 0;
        for (var h = 0; h < hours; h++)
        {
            // Cumulative rounding: the counts add up to exactly `rows`.
            share += weights[h] / total * rows;
            var count = (int)(Math.Round(share) - written);
            written += count;
            var hour = Start + TimeSpan.FromHours(h);
            var offsets = Enumerable.Range(0, count).Select(_ => _random.NextInt64(TimeSpan.TicksPerHour)).Order().ToList();
            yield return offsets.Select(ticks => Row(hour + TimeSpan.FromTicks(ticks), (double)h / hours)).ToList();
        }
    }

    private LedgerEntry Row(DateTimeOffset at, double progress)
    {
        var twin = Pick(Twins, t => t.Weight).Id;
        var endpoint = Pick(Endpoints, e => e.Weight).Name;
        var promptVersion = progress < 0.5 ? 3 : 4;
        // The first twin runs an A/B test of its reply style in the last third of the range.
        var (experiment, variant) = twin == Twins[0].Id && progress > 2.0 / 3 ? ("reply-style", _random.Next(2) == 0 ? "concise" : "detailed") : ((string?)null, (string?)null);
        var common = new LedgerEntry
        {
            TraceId = Hex(16),
            ObservationId = Hex(8),
            TwinId = twin,
            Endpoint = endpoint,
            Environment = "production",
            Timestamp = at,
            UserId = endpoint == "chat" ? "user-" + _random.Next(2000).ToString(CultureInfo.InvariantCulture) : null,
            ConversationId = Hex(8),
            Status = "ok",
            PromptName = "twin-system",
            PromptVersion = promptVersion,
            Experiment = experiment,
            Variant = variant,
        };

        if (_random.NextDouble() < 0.03)
        {
            // Failed chats have no model, tokens, cost, node timings or text (ChatService's error path).
            var error = Pick(Errors, e => e.Weight);
            return common with
            {
                Status = "error",
                HttpStatus = error.Status,
                ErrorType = error.Type,
                LatencyMs = error.Type == "llm_timeout" ? 30_000 + _random.Next(500) : (long)LogNormal(error.Type == "rate_limited" ? 4 : 300, 0.4),
            };
        }

        var large = _random.NextDouble() < 0.3;
        var latency = (long)LogNormal(large ? 1600 : 900, 0.55);
        var input = 600 + _random.Next(2400);
        var output = 40 + _random.Next(500);
        var (inputPrice, outputPrice) = large ? (2.50m, 10.00m) : (0.15m, 0.60m);
        return common with
        {
            LatencyMs = latency,
            Model = large ? "gpt-4o" : "gpt-4o-mini",
            InputTokens = input,
            OutputTokens = output,
            CostUsd = ((input * inputPrice) + (output * outputPrice)) / 1_000_000m,
            HttpStatus = 200,
            NodeTimings = Timings(latency),
            Message = Messages[_random.Next(Messages.Length)],
            Reply = Replies[_random.Next(Replies.Length)],
            // Judges score about nine chats in ten (the rest are not sampled, or not yet scored).
            Scores = _random.NextDouble() < 0.9 ? Scores() : new Dictionary<string, double>(),
            ScoreMethod = "llm",
        };
    }

    // The node timings JSON the pipeline writes (NodeTimings.ToJson): generation takes most of the chat.
    private string Timings(long latency)
    {
        var small = Nodes.Select(_ => (long)_random.Next(1, 15)).ToArray();
        small[4] = Math.Max(1, latency - small.Sum() + small[4]);
        return "{" + string.Join(',', Nodes.Select((n, i) => $"\"{n}\":{small[i].ToString(CultureInfo.InvariantCulture)}")) + "}";
    }

    private Dictionary<string, double> Scores() => new(StringComparer.Ordinal)
    {
        [ScoreNames.Relevance] = Score(0.85),
        [ScoreNames.Groundedness] = Score(0.75),
        [ScoreNames.PersonaConsistency] = Score(0.8),
    };

    private double Score(double mean) => Math.Round(Math.Clamp(mean + (0.12 * Normal()), 0, 1), 3);

    private double LogNormal(double median, double sigma) => median * Math.Exp(sigma * Normal());

    // Box–Muller.
    private double Normal() => Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());

    private T Pick<T>(T[] items, Func<T, double> weight)
    {
        var x = _random.NextDouble();
        foreach (var item in items)
        {
            x -= weight(item);
            if (x < 0)
            {
                return item;
            }
        }

        return items[^1];
    }

    private string Hex(int bytes)
    {
        Span<byte> buffer = stackalloc byte[bytes];
        _random.NextBytes(buffer);
        return Convert.ToHexStringLower(buffer);
    }
}
