using System.IO.Hashing;
using System.Text;
using Microsoft.Extensions.Options;
using Twin.Observability.Common;
using Twin.Observability.Datasets.Export.Formats;
using Twin.Observability.Prompts;
using Twin.Observability.Twins;

namespace Twin.Observability.Datasets.Export;

/// <summary>
/// Reads a dataset once as an export would (system prompts included) and reports, per format, what it would write
/// and what its rules would refuse, with token counts; plus score distributions, repeated prompts and the preference
/// pairs available. Memory grows only with the number of distinct prompts (8 bytes each), not with the texts.
/// </summary>
public sealed class DatasetStatsBuilder(IDatasetStore store, PromptService prompts, ITwinLookup twins, IOptions<DatasetOptions> datasetOptions)
{
    private const int Buckets = 10;

    public async Task<DatasetStats> BuildAsync(string dataset, CancellationToken cancellationToken)
    {
        var plan = new ExportPlan { Dataset = dataset, Format = "stats", MaxItems = int.MaxValue };
        var systemPrompts = new SystemPromptSource(prompts, twins);
        var source = new ExportExampleSource(store, systemPrompts, datasetOptions.Value.RejectedNameOf(dataset));
        var supervised = ExportFormats.All.Where(f => !f.NeedsPairs).Select(f => new FormatTally(f)).ToList();
        var scores = new Dictionary<string, ScoreTally>(StringComparer.Ordinal);
        var exact = new HashSet<ulong>();
        var near = new HashSet<ulong>();
        long exactRepeats = 0, nearRepeats = 0, examples = 0;
        await foreach (var example in source.ReadAsync(plan, pairs: false, cancellationToken).ConfigureAwait(false))
        {
            examples++;
            if (!exact.Add(XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(Normalized(example.User)))))
            {
                exactRepeats++;
            }

            if (!near.Add(ExportSplit.PromptKeyOf(example.User)))
            {
                nearRepeats++;
            }

            foreach (var (name, value) in example.Scores)
            {
                (scores.TryGetValue(name, out var tally) ? tally : scores[name] = new ScoreTally()).Add(value);
            }

            var tokens = TokensOf(example);
            foreach (var format in supervised)
            {
                format.Add(example, tokens);
            }
        }

        var pairSource = new ExportExampleSource(store, systemPrompts, datasetOptions.Value.RejectedNameOf(dataset));
        var preference = ExportFormats.All.Where(f => f.NeedsPairs).Select(f => new FormatTally(f)).ToList();
        long pairs = 0;
        await foreach (var pair in pairSource.ReadAsync(plan, pairs: true, cancellationToken).ConfigureAwait(false))
        {
            pairs++;
            var tokens = TokensOf(pair);
            foreach (var format in preference)
            {
                format.Add(pair, tokens);
            }
        }

        return new DatasetStats
        {
            Dataset = dataset,
            Items = source.Counters.Read,
            Examples = examples,
            Unreadable = source.Counters.Unreadable,
            RejectedItems = await store.ExistsAsync(datasetOptions.Value.RejectedNameOf(dataset), cancellationToken).ConfigureAwait(false)
                ? await store.CountItemsAsync(datasetOptions.Value.RejectedNameOf(dataset), cancellationToken).ConfigureAwait(false)
                : 0,
            PreferencePairs = pairs,
            Duplicates = new DuplicateStats(exactRepeats, nearRepeats),
            Scores = scores.OrderBy(s => s.Key, StringComparer.Ordinal).ToDictionary(s => s.Key, s => s.Value.ToStats(), StringComparer.Ordinal),
            Formats = [.. supervised.Concat(preference).Select(f => f.ToStats())],
        };
    }

    private static string Normalized(string text) => string.Join(' ', text.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static TokenStats TokensOf(ExportExample example) => new(
        TokenCounter.Count(example.System),
        TokenCounter.Count(example.User) + example.History.Where(m => m.Role == ExportMessage.UserRole).Sum(m => (long)TokenCounter.Count(m.Content)),
        TokenCounter.Count(example.Assistant) + TokenCounter.Count(example.Rejected) + example.History.Where(m => m.Role != ExportMessage.UserRole).Sum(m => (long)TokenCounter.Count(m.Content)));

    private sealed class FormatTally(IExportFormat format)
    {
        private readonly Dictionary<string, long> _invalid = new(StringComparer.Ordinal);
        private long _valid, _system, _user, _assistant;

        public void Add(ExportExample example, TokenStats tokens)
        {
            if (format.Check(example) is { } rule)
            {
                ExportCounters.Count(_invalid, rule);
                return;
            }

            _valid++;
            _system += tokens.System;
            _user += tokens.User;
            _assistant += tokens.Assistant;
        }

        public FormatStats ToStats() => new() { Format = format.Name, Valid = _valid, Invalid = _invalid, Tokens = new TokenStats(_system, _user, _assistant) };
    }

    private sealed class ScoreTally
    {
        private readonly long[] _histogram = new long[Buckets];
        private long _count;
        private double _sum, _min = double.PositiveInfinity, _max = double.NegativeInfinity;

        public void Add(double value)
        {
            _count++;
            _sum += value;
            _min = Math.Min(_min, value);
            _max = Math.Max(_max, value);
            _histogram[Math.Clamp((int)Math.Floor(value * Buckets), 0, Buckets - 1)]++;
        }

        public ScoreStats ToStats() => new(_count, _count == 0 ? 0 : _sum / _count, _min, _max, _histogram);
    }
}
