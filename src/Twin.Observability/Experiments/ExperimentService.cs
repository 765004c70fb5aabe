using Microsoft.Extensions.Options;
using Twin.Observability.Common;
using Twin.Observability.Ledger;
using Twin.Observability.Prompts;
using Twin.Observability.Twins;

namespace Twin.Observability.Experiments;

/// <summary>
/// A/B testing (API.md "A/B testing"): starts tests (one running per twin), stops them, assigns units, and reports
/// results computed from the ledger rows of the test's chats. A running test's variants and weights never change:
/// there is no update, so a change is a new test.
/// </summary>
public sealed class ExperimentService(
    ExperimentStore store,
    RunningExperiments running,
    LedgerStore ledger,
    ITwinLookup twins,
    PromptService prompts,
    IOptions<PromptOptions> promptOptions,
    TimeProvider time)
{
    public async Task<AbTest> CreateAsync(AbTestRequest? request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        AbTestValidator.Validate(request, now);
        var r = request!;
        var twinId = r.TwinId!.Trim();
        if (await twins.FindAsync(twinId, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new ResourceNotFoundException("Twin", twinId);
        }

        await CheckPromptsAsync(r.Variants!, cancellationToken).ConfigureAwait(false);
        var test = new AbTest
        {
            Id = Guid.NewGuid().ToString("N"),
            Name = r.Name!.Trim(),
            TwinId = twinId,
            Variants = r.Variants!,
            PrimaryMetric = r.PrimaryMetric!,
            SecondaryMetrics = r.SecondaryMetrics ?? [],
            MinSamples = r.MinSamples ?? 100,
            Status = AbTest.Running,
            CreatedAt = now,
            StartedAt = r.StartsAt ?? now,
            EndsAt = r.EndsAt,
        };
        await ClaimAsync(test, now, cancellationToken).ConfigureAwait(false);
        try
        {
            var saved = await store.AddAsync(test, cancellationToken).ConfigureAwait(false);
            running.Forget(twinId);
            return saved;
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            await store.ReleaseTwinAsync(twinId, test.Id, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    public Task<IReadOnlyList<AbTest>> ListAsync(CancellationToken cancellationToken) => store.ListAsync(cancellationToken);

    public async Task<AbTestReport> ReportAsync(string id, CancellationToken cancellationToken)
    {
        var test = await FindAsync(id, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var to = test.StoppedAt ?? (test.EndsAt is { } ends && ends < now ? ends : now);
        // A chat's ledger row is stamped when it ends, a moment after the test may have stopped.
        to = to.AddMinutes(1);
        var analyzer = new AbTestAnalyzer(test);
        await foreach (var row in ledger.RowsOfExperimentAsync(test.Id, test.StartedAt, to, cancellationToken).ConfigureAwait(false))
        {
            analyzer.Add(row);
        }

        return new AbTestReport(test, analyzer.Build(test.StartedAt, to));
    }

    public async Task<AbTest> StopAsync(string id, CancellationToken cancellationToken)
    {
        while (true)
        {
            var test = await FindAsync(id, cancellationToken).ConfigureAwait(false);
            if (test.Status == AbTest.Stopped)
            {
                return test;
            }

            try
            {
                var stopped = await store.ReplaceAsync(test with { Status = AbTest.Stopped, StoppedAt = time.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
                await store.ReleaseTwinAsync(test.TwinId, test.Id, cancellationToken).ConfigureAwait(false);
                running.Forget(test.TwinId);
                return stopped;
            }
            catch (PreconditionFailedException)
            {
                // Stopped (or otherwise changed) by another call in between: read it again.
            }
        }
    }

    /// <summary>The variant <paramref name="unitId"/> gets in the test; the same for the same unit every time.</summary>
    public async Task<AbTestAssignment> AssignAsync(string id, string? unitId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(unitId) || unitId.Length > 256)
        {
            throw new RequestValidationException("userId", "is required, at most 256 characters.");
        }

        var test = await FindAsync(id, cancellationToken).ConfigureAwait(false);
        var index = VariantAssigner.Assign(test.Id, unitId, VariantAssigner.CumulativeWeights([.. test.Variants.Select(v => v.Weight)]));
        return new AbTestAssignment(test.Id, unitId, test.Variants[index].Name, test.IsActiveAt(time.GetUtcNow()));
    }

    private async Task<AbTest> FindAsync(string id, CancellationToken cancellationToken) =>
        await store.FindAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new ResourceNotFoundException("A/B test", id);

    // A test that ended by its own end time still holds its twin's claim: it is stopped on the way to the new one.
    private async Task ClaimAsync(AbTest test, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            await store.ClaimTwinAsync(test.TwinId, test.Id, cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (ResourceConflictException)
        {
            var holder = await store.RunningTestIdAsync(test.TwinId, cancellationToken).ConfigureAwait(false);
            var current = holder is null ? null : await store.FindAsync(holder, cancellationToken).ConfigureAwait(false);
            if (current is not null && current.Status == AbTest.Running && (current.EndsAt is null || current.EndsAt > now))
            {
                throw new ResourceConflictException($"Twin '{test.TwinId}' already runs A/B test '{current.Id}' ({current.Name}); stop it first.");
            }

            if (current is not null && current.Status == AbTest.Running)
            {
                await StopAsync(current.Id, cancellationToken).ConfigureAwait(false);
            }
            else if (holder is not null)
            {
                await store.ReleaseTwinAsync(test.TwinId, holder, cancellationToken).ConfigureAwait(false);
            }
        }

        await store.ClaimTwinAsync(test.TwinId, test.Id, cancellationToken).ConfigureAwait(false);
    }

    private async Task CheckPromptsAsync(List<AbTestVariant> variants, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        for (var i = 0; i < variants.Count; i++)
        {
            var v = variants[i];
            if (v.PromptName is null && v.PromptLabel is null && v.PromptVersion is null)
            {
                continue;
            }

            var name = v.PromptName ?? promptOptions.Value.SystemPromptName;
            if (await prompts.FindAsync(name, v.PromptLabel, v.PromptVersion, cancellationToken).ConfigureAwait(false) is null)
            {
                var which = v.PromptLabel is not null ? $"label '{v.PromptLabel}'" : v.PromptVersion is not null ? $"version {v.PromptVersion}" : "its default label";
                errors.Add($"variants[{i}].{(v.PromptLabel is not null ? "promptLabel" : v.PromptVersion is not null ? "promptVersion" : "promptName")}", $"prompt '{name}' has no {which}.");
            }
        }

        errors.ThrowIfAny();
    }
}

/// <summary>The answer of <c>GET /api/manage/ab-tests/{id}/assign</c>.</summary>
public sealed record AbTestAssignment(string TestId, string UserId, string Variant, bool Running);
