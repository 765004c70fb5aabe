using Azure;
using Azure.Data.Tables;
using Twin.Observability.Common;
using Twin.Observability.Storage;
using Twin.Observability.Twins.Sharing;

namespace Twin.Observability.Twins;

/// <summary>Creates, reads, replaces and deletes twins, enforcing <see cref="TwinValidator"/> and ETag concurrency.</summary>
public sealed class TwinService(TableServiceClient tables, ShareTokenService shareTokens, TimeProvider time) : ITwinLookup
{
    private readonly TableStore<TableEntity> _store = new(tables.GetTableClient(StorageNames.Tables.Twins));

    public async Task<ResultPage<TwinProfile>> ListAsync(PageRequest page, CancellationToken cancellationToken)
    {
        var result = await _store.QueryPageAsync($"PartitionKey eq {TwinEntityMapper.Partition}", page, cancellationToken).ConfigureAwait(false);
        return result.Map(TwinEntityMapper.ToProfile);
    }

    /// <summary>The twin, or null when there is none with this id (including ids no twin could have).</summary>
    public async Task<TwinProfile?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (!TwinValidator.IsValidId(id))
        {
            return null;
        }

        var entity = await _store.FindAsync(TwinEntityMapper.Partition, id, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : TwinEntityMapper.ToProfile(entity);
    }

    public async Task<TwinProfile> GetAsync(string id, CancellationToken cancellationToken) =>
        await FindAsync(TwinValidator.ValidateId(id), cancellationToken).ConfigureAwait(false)
        ?? throw new ResourceNotFoundException("Twin", id);

    public async Task<TwinProfile> CreateAsync(TwinDefinition definition, CancellationToken cancellationToken)
    {
        var twin = TwinValidator.Validate(definition, routeId: null);
        var now = time.GetUtcNow();
        var entity = await _store.AddAsync(TwinEntityMapper.ToEntity(twin, now, now), cancellationToken).ConfigureAwait(false);
        return TwinEntityMapper.ToProfile(entity);
    }

    /// <summary>Replaces the twin's definition when <paramref name="ifMatch"/> (if given) is still its version.</summary>
    public async Task<TwinProfile> ReplaceAsync(string id, TwinDefinition definition, string? ifMatch, CancellationToken cancellationToken)
    {
        var twin = TwinValidator.Validate(definition, TwinValidator.ValidateId(id));
        var current = await _store.FindAsync(TwinEntityMapper.Partition, id, cancellationToken).ConfigureAwait(false)
            ?? throw new ResourceNotFoundException("Twin", id);
        var createdAt = current.GetDateTimeOffset("CreatedAt") ?? time.GetUtcNow();
        var entity = TwinEntityMapper.ToEntity(twin, createdAt, time.GetUtcNow());
        var expected = ifMatch is null ? current.ETag : new ETag(ifMatch);
        var saved = await _store.ReplaceAsync(entity, expected, cancellationToken).ConfigureAwait(false);
        return TwinEntityMapper.ToProfile(saved);
    }

    /// <summary>Deletes the twin and revokes its share tokens. Returns false when there was no such twin.</summary>
    public async Task<bool> DeleteAsync(string id, string? ifMatch, CancellationToken cancellationToken)
    {
        TwinValidator.ValidateId(id);
        var deleted = await _store.DeleteAsync(TwinEntityMapper.Partition, id, ifMatch is null ? ETag.All : new ETag(ifMatch), cancellationToken).ConfigureAwait(false);
        if (deleted)
        {
            await shareTokens.DeleteAllAsync(id, cancellationToken).ConfigureAwait(false);
        }

        return deleted;
    }

    /// <summary>Issues a share token for an existing twin.</summary>
    public async Task<IssuedShareToken> IssueShareTokenAsync(string id, DateTimeOffset? expiresAt, CancellationToken cancellationToken)
    {
        await GetAsync(id, cancellationToken).ConfigureAwait(false);
        return await shareTokens.IssueAsync(id, expiresAt, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ShareTokenInfo>> ListShareTokensAsync(string id, CancellationToken cancellationToken)
    {
        await GetAsync(id, cancellationToken).ConfigureAwait(false);
        return await shareTokens.ListAsync(id, cancellationToken).ConfigureAwait(false);
    }

    public Task<ShareTokenInfo> RevokeShareTokenAsync(string id, string tokenId, CancellationToken cancellationToken) =>
        shareTokens.RevokeAsync(TwinValidator.ValidateId(id), tokenId, cancellationToken);
}
