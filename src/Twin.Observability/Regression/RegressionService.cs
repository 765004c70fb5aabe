using Microsoft.Extensions.Options;
using Twin.Observability.Common;
using Twin.Observability.Datasets;
using Twin.Observability.Twins;

namespace Twin.Observability.Regression;

/// <summary>
/// Regression testing (API.md "Regression testing"): starts runs (202; the work runs from the queue), reports them,
/// lists datasets, and keeps named baselines of finished runs.
/// </summary>
public sealed class RegressionService(
    RegressionStore store,
    RegressionBaselineStore baselines,
    RegressionDispatcher queue,
    RegressionReportBuilder reports,
    IDatasetStore datasets,
    ITwinLookup twins,
    IOptions<RegressionOptions> options,
    TimeProvider time)
{
    public async Task<RegressionRun> StartAsync(RegressionRunRequest? request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (request is null)
        {
            errors.Add("body", "must be a JSON object.");
            errors.ThrowIfAny();
        }

        var r = request!;
        var dataset = r.Dataset?.Trim();
        var twinId = r.TwinId?.Trim();
        if (string.IsNullOrEmpty(dataset) || dataset.Length > 200)
        {
            errors.Add("dataset", "is required, at most 200 characters.");
        }

        if (string.IsNullOrEmpty(twinId) || twinId.Length > 64 || !Storage.TableKeys.IsValid(twinId))
        {
            errors.Add("twinId", "is required: a twin id.");
        }

        if (r.MaxItems is { } max && (max < 1 || max > options.Value.MaxItems))
        {
            errors.Add("maxItems", $"must be between 1 and {options.Value.MaxItems}.");
        }

        if (r.PromptVersion is < 1)
        {
            errors.Add("promptVersion", "must be 1 or more.");
        }

        if (r.Temperature is { } t && (t < 0 || t > 2 || !double.IsFinite(t)))
        {
            errors.Add("temperature", "must be between 0 and 2.");
        }

        if (r.Name is { Length: > 100 })
        {
            errors.Add("name", "at most 100 characters.");
        }

        if (r.PromptLabel is { Length: > 100 })
        {
            errors.Add("promptLabel", "at most 100 characters.");
        }

        errors.ThrowIfAny();
        if (await twins.FindAsync(twinId!, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new ResourceNotFoundException("Twin", twinId!);
        }

        if (!await datasets.ExistsAsync(dataset!, cancellationToken).ConfigureAwait(false))
        {
            throw new ResourceNotFoundException("Dataset", dataset!);
        }

        if (r.Baseline is { Length: > 0 } baseline && await baselines.LatestAsync(baseline, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new ResourceNotFoundException("Baseline", baseline);
        }

        var now = time.GetUtcNow();
        var id = Guid.NewGuid().ToString("N");
        var run = await store.AddRunAsync(
            new RegressionRun
            {
                Id = id,
                Name = string.IsNullOrWhiteSpace(r.Name) ? $"{dataset} on {twinId} at {now:yyyy-MM-dd HH:mm}Z" : r.Name.Trim(),
                Dataset = dataset!,
                TwinId = twinId!,
                PromptLabel = string.IsNullOrWhiteSpace(r.PromptLabel) ? null : r.PromptLabel.Trim(),
                PromptVersion = r.PromptVersion,
                Model = string.IsNullOrWhiteSpace(r.Model) ? null : r.Model.Trim(),
                Temperature = r.Temperature,
                FewShot = r.FewShot ?? true,
                Baseline = string.IsNullOrWhiteSpace(r.Baseline) ? null : r.Baseline.Trim(),
                MaxItems = r.MaxItems,
                CreatedAt = now,
            },
            cancellationToken).ConfigureAwait(false);
        await queue.EnqueueAsync(new RegressionMessage { Kind = RegressionMessage.Plan, RunId = id }, cancellationToken).ConfigureAwait(false);
        return run;
    }

    public async Task<RegressionReport> ReportAsync(string id, PageRequest page, CancellationToken cancellationToken)
    {
        var run = await store.FindRunAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new ResourceNotFoundException("Regression run", id);
        var results = await store.AllResultsAsync(id, cancellationToken).ConfigureAwait(false);
        run = await RecountIfStuckAsync(run, results, cancellationToken).ConfigureAwait(false);
        (RegressionBaseline, IReadOnlyList<RegressionResult>)? baseline = null;
        if (run.Baseline is { } name && await baselines.LatestAsync(name, cancellationToken).ConfigureAwait(false) is { } latest && latest.TestId != run.Id)
        {
            baseline = (latest, await store.AllResultsAsync(latest.TestId, cancellationToken).ConfigureAwait(false));
        }

        var itemsPage = await store.ResultsAsync(id, page, cancellationToken).ConfigureAwait(false);
        return reports.Build(run, results, baseline, itemsPage);
    }

    // A host that died between storing an item's result and counting it leaves the run short of its total for good;
    // every result is stored, so reading the report counts them again and finishes the run.
    private async Task<RegressionRun> RecountIfStuckAsync(RegressionRun run, IReadOnlyList<RegressionResult> results, CancellationToken cancellationToken)
    {
        if (run.Status != RegressionRun.Running || run.Total is not { } total || run.IsComplete || results.Count < total)
        {
            return run;
        }

        var now = time.GetUtcNow();
        var ok = results.Count(r => r.Status == "ok");
        var recounted = await store.UpdateRunAsync(run.Id, r => r.IsComplete ? null : r with { Done = ok, Failed = results.Count - ok, Status = RegressionRun.Finished, FinishedAt = now }, cancellationToken).ConfigureAwait(false);
        return recounted?.After ?? await store.FindRunAsync(run.Id, cancellationToken).ConfigureAwait(false) ?? run;
    }

    public Task<IReadOnlyList<DatasetSummary>> DatasetsAsync(CancellationToken cancellationToken) => datasets.ListDatasetsAsync(cancellationToken);

    public async Task<RegressionBaseline> SaveBaselineAsync(RegressionBaselineRequest? request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var name = request?.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 100 || !Storage.TableKeys.IsValid(name))
        {
            errors.Add("name", "is required: at most 100 characters, no '/', '\\\\', '#' or '?'.");
        }

        if (string.IsNullOrWhiteSpace(request?.TestId))
        {
            errors.Add("testId", "is required: the id of a finished run.");
        }

        errors.ThrowIfAny();
        var run = await store.FindRunAsync(request!.TestId!.Trim(), cancellationToken).ConfigureAwait(false) ?? throw new ResourceNotFoundException("Regression run", request.TestId!);
        if (run.Status != RegressionRun.Finished)
        {
            throw new ResourceConflictException($"Run '{run.Id}' is {run.Status}: only a finished run can be a baseline.");
        }

        return await baselines.SaveAsync(name!, run.Id, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<RegressionBaseline>> BaselineAsync(string name, CancellationToken cancellationToken)
    {
        var versions = Storage.TableKeys.IsValid(name) ? await baselines.VersionsAsync(name, cancellationToken).ConfigureAwait(false) : [];
        return versions.Count > 0 ? versions : throw new ResourceNotFoundException("Baseline", name);
    }
}

/// <summary>The body of <c>POST /api/manage/regression/baseline</c>.</summary>
public sealed record RegressionBaselineRequest(string? Name, string? TestId);
