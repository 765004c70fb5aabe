using System.Globalization;
using Microsoft.Extensions.Options;
using Twin.Observability.Datasets.Export.Formats;
using Twin.Observability.Prompts;
using Twin.Observability.Twins;

namespace Twin.Observability.Datasets.Export;

/// <summary>
/// Runs one export: streams the plan's examples from the dataset store through the format's rules into a training
/// file and, with a validation split, a validation file. Nothing is held whole: one example at a time passes from
/// the store's page to the file's staged block.
/// </summary>
public sealed class DatasetExporter(
    IDatasetStore store,
    PromptService prompts,
    ITwinLookup twins,
    IOptions<DatasetOptions> datasetOptions,
    IOptions<ExportOptions> options)
{
    /// <summary>Azure OpenAI refuses training files of 512 MB or more.</summary>
    private const long AzureMaxFileBytes = 512L * 1024 * 1024;

    /// <param name="folder">The files' folder in the container: <c>{dataset}/{utc-stamp}</c>.</param>
    /// <param name="progress">Told the number of items read every <see cref="ExportOptions.ProgressEvery"/> items.</param>
    public async Task<ExportResult> ExportAsync(ExportPlan plan, string folder, IExportFileTarget target, Func<long, Task>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var format = ExportFormats.Find(plan.Format) ?? throw new InvalidOperationException($"Unknown export format '{plan.Format}'.");
        var source = new ExportExampleSource(store, new SystemPromptSource(prompts, twins), datasetOptions.Value.RejectedNameOf(plan.Dataset));
        var every = options.Value.ProgressEvery;
        await using var train = new ExportFile("train", $"{folder}/train.{format.Extension}", format, target);
        await using var validation = new ExportFile("validation", $"{folder}/validation.{format.Extension}", format, target);
        long written = 0;
        long reported = 0;
        var truncated = false;
        await foreach (var example in source.ReadAsync(plan, format.NeedsPairs, cancellationToken).ConfigureAwait(false))
        {
            if (written >= plan.MaxItems)
            {
                truncated = true;
                break;
            }

            if (format.Check(example) is { } rule)
            {
                ExportCounters.Count(source.Counters.Invalid, rule);
                continue;
            }

            var file = ExportSplit.IsValidation(ExportSplit.PromptKeyOf(example.User), plan.Seed, plan.ValidationSplit) ? validation : train;
            await file.WriteAsync(example, cancellationToken).ConfigureAwait(false);
            written++;
            if (progress is not null && source.Counters.Read - reported >= every)
            {
                reported = source.Counters.Read;
                await progress(reported).ConfigureAwait(false);
            }
        }

        var files = new List<ExportedFile>();
        foreach (var file in new[] { train, validation })
        {
            if (await file.CompleteAsync(cancellationToken).ConfigureAwait(false) is { } done)
            {
                files.Add(done);
            }
        }

        var counters = source.Counters;
        return new ExportResult
        {
            Dataset = plan.Dataset,
            Format = format.Name,
            Files = files,
            ItemsRead = counters.Read,
            Written = written,
            BelowMinScore = counters.BelowMinScore,
            WithoutPair = counters.WithoutPair,
            Unreadable = counters.Unreadable,
            Invalid = counters.Invalid,
            Truncated = truncated,
            Warnings = WarningsOf(format, files),
        };
    }

    private static List<string> WarningsOf(IExportFormat format, List<ExportedFile> files)
    {
        var warnings = new List<string>();
        foreach (var file in files.Where(f => f.Items < format.MinimumExamples))
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"{file.Name} holds {file.Items} examples; {format.Name} needs at least {format.MinimumExamples}."));
        }

        if (format.Name.StartsWith("azure-", StringComparison.Ordinal))
        {
            foreach (var file in files.Where(f => f.Bytes >= AzureMaxFileBytes))
            {
                warnings.Add(string.Create(CultureInfo.InvariantCulture, $"{file.Name} is {file.Bytes / (1024 * 1024)} MB; Azure OpenAI takes files under 512 MB: lower maxItems."));
            }
        }

        return warnings;
    }
}
