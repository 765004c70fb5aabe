using Azure;
using Microsoft.Extensions.Options;
using Twin.Observability.Common;
using Twin.Observability.Langfuse;

namespace Twin.Observability.Scores;

/// <summary>
/// Score configs (API.md "Feedback and custom scores"): the built-in ones and the users', kept in the
/// <c>ScoreConfigs</c> table and mirrored to Langfuse when it is configured. A Langfuse refusal fails the request
/// (400/502), so the two never disagree silently; the table is written first and its row remembers the Langfuse id.
/// </summary>
public sealed class ScoreConfigService(ScoreConfigStore store, LangfuseScoreConfigClient langfuseConfigs, IOptions<LangfuseOptions> langfuse, TimeProvider time)
{
    public async Task<IReadOnlyList<ScoreConfig>> ListAsync(CancellationToken cancellationToken) =>
        [.. BuiltInScoreConfigs.All, .. (await store.ListAsync(cancellationToken).ConfigureAwait(false)).OrderBy(c => c.Name, StringComparer.Ordinal)];

    /// <summary>The config of <paramref name="name"/>, built-in or the users'; null when there is none.</summary>
    public async Task<ScoreConfig?> FindAsync(string name, CancellationToken cancellationToken) =>
        BuiltInScoreConfigs.Find(name) ?? (ScoreConfigValidator.IsName(name) ? await store.FindAsync(name, cancellationToken).ConfigureAwait(false) : null);

    public async Task<ScoreConfig> CreateAsync(ScoreConfigRequest? request, CancellationToken cancellationToken)
    {
        var config = ScoreConfigValidator.Validate(null, request);
        RefuseBuiltIn(config.Name);
        var now = time.GetUtcNow();
        var saved = await store.AddAsync(config with { CreatedAt = now, UpdatedAt = now }, cancellationToken).ConfigureAwait(false);
        if (!langfuse.Value.IsConfigured)
        {
            return saved;
        }

        try
        {
            var id = await langfuseConfigs.CreateAsync(saved, cancellationToken).ConfigureAwait(false);
            return await store.ReplaceAsync(saved with { LangfuseId = id }, new ETag(saved.ETag!), cancellationToken).ConfigureAwait(false);
        }
        catch (LangfuseApiException) when (!cancellationToken.IsCancellationRequested)
        {
            // Langfuse refused or failed: the config is not half made.
            await store.DeleteAsync(saved.Name, ETag.All, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    public async Task<ScoreConfig> UpdateAsync(string name, ScoreConfigRequest? request, IfMatchCondition ifMatch, CancellationToken cancellationToken)
    {
        RefuseBuiltIn(name);
        var current = await store.FindAsync(name, cancellationToken).ConfigureAwait(false) ?? throw new ResourceNotFoundException("Score config", name);
        var config = ScoreConfigValidator.Validate(name, request);
        if (config.DataType != current.DataType)
        {
            throw new RequestValidationException("dataType", $"cannot change from {current.DataType}: scores already recorded would change meaning. Create a config of another name.");
        }

        var etag = ifMatch.ExpectedFor(current.ETag!, $"Score config '{name}'");
        var saved = await store.ReplaceAsync(config with { LangfuseId = current.LangfuseId, CreatedAt = current.CreatedAt, UpdatedAt = time.GetUtcNow() }, etag, cancellationToken).ConfigureAwait(false);
        if (langfuse.Value.IsConfigured && saved.LangfuseId is { } id)
        {
            await langfuseConfigs.UpdateAsync(id, saved, cancellationToken).ConfigureAwait(false);
        }

        return saved;
    }

    public async Task DeleteAsync(string name, IfMatchCondition ifMatch, CancellationToken cancellationToken)
    {
        RefuseBuiltIn(name);
        var current = await store.FindAsync(name, cancellationToken).ConfigureAwait(false) ?? throw new ResourceNotFoundException("Score config", name);
        await store.DeleteAsync(name, ifMatch.ExpectedFor(current.ETag!, $"Score config '{name}'"), cancellationToken).ConfigureAwait(false);
        if (langfuse.Value.IsConfigured && current.LangfuseId is { } id)
        {
            await langfuseConfigs.ArchiveAsync(id, name, cancellationToken).ConfigureAwait(false);
        }
    }

    private static void RefuseBuiltIn(string name)
    {
        if (BuiltInScoreConfigs.Find(name) is not null)
        {
            throw new ResourceConflictException($"'{name}' is a built-in score; its config cannot be changed.");
        }
    }
}
