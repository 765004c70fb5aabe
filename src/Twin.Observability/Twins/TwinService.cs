using Azure;
using Azure.Data.Tables;
using Twin.Observability.Common;
using Twin.Observability.Storage;
using Twin.Observability.Twins.Sharing;

namespace Twin.Observability.Twins;

/// <summary>Creates, reads, replaces and deletes twins, enforcing <see cref="TwinValidator"/> and ETag concurrency.</summary>
public sealed class TwinService(TableServiceClient tables, ShareTokenService shareTokens, ShareLinks links, TwinOriginCache origins, TimeProvider time) : ITwinLookup
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

    /// <summary>
    /// Replaces the twin's definition. Without a precondition the last writer wins; with one, the stored version must
    /// match it (<see cref="PreconditionFailedException"/> otherwise), and the write is conditional on that version.
    /// </summary>
    public async Task<TwinProfile> ReplaceAsync(string id, TwinDefinition definition, IfMatchCondition ifMatch, CancellationToken cancellationToken)
    {
        var twin = TwinValidator.Validate(definition, TwinValidator.ValidateId(id));
        var current = await _store.FindAsync(TwinEntityMapper.Partition, id, cancellationToken).ConfigureAwait(false)
            ?? throw new ResourceNotFoundException("Twin", id);
        var createdAt = current.GetDateTimeOffset("CreatedAt") ?? time.GetUtcNow();
        var entity = TwinEntityMapper.ToEntity(twin, createdAt, time.GetUtcNow());
        var saved = await _store.ReplaceAsync(entity, Expected(ifMatch, current), cancellationToken).ConfigureAwait(false);
        origins.Forget(id);
        return TwinEntityMapper.ToProfile(saved);
    }

    /// <summary>Deletes the twin and revokes its share tokens. Returns false when there was no such twin.</summary>
    public async Task<bool> DeleteAsync(string id, IfMatchCondition ifMatch, CancellationToken cancellationToken)
    {
        TwinValidator.ValidateId(id);
        var expected = ETag.All;
        if (ifMatch.IsPresent)
        {
            var current = await _store.FindAsync(TwinEntityMapper.Partition, id, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                return false;
            }

            expected = Expected(ifMatch, current);
        }

        var deleted = await _store.DeleteAsync(TwinEntityMapper.Partition, id, expected, cancellationToken).ConfigureAwait(false);
        origins.Forget(id);
        if (deleted)
        {
            await shareTokens.DeleteAllAsync(id, cancellationToken).ConfigureAwait(false);
        }

        return deleted;
    }

    /// <summary>
    /// Issues a share token for an existing twin, with its link. The request's scheme and host matter only in
    /// Development without a configured base URL (<see cref="ShareLinks"/>); a refused host issues no token.
    /// </summary>
    public async Task<IssuedShareLink> IssueShareTokenAsync(string id, DateTimeOffset? expiresAt, string requestScheme, string requestHost, CancellationToken cancellationToken)
    {
        var origin = links.OriginFor(requestScheme, requestHost);
        await GetAsync(id, cancellationToken).ConfigureAwait(false);
        var issued = await shareTokens.IssueAsync(id, expiresAt, cancellationToken).ConfigureAwait(false);
        return new IssuedShareLink(issued, ShareLinks.Url(origin, id, issued.Token));
    }

    public async Task<ResultPage<ShareTokenInfo>> ListShareTokensAsync(string id, PageRequest page, CancellationToken cancellationToken)
    {
        await GetAsync(id, cancellationToken).ConfigureAwait(false);
        return await shareTokens.ListAsync(id, page, cancellationToken).ConfigureAwait(false);
    }

    // The caller's tags are compared here and only the stored ETag goes to storage, so a malformed If-Match is a 412,
    // never the service's 400; writing with the stored ETag keeps the check race-free.
    private static ETag Expected(IfMatchCondition ifMatch, TableEntity current)
    {
        if (!ifMatch.IsPresent)
        {
            return ETag.All;
        }

        return ifMatch.Matches(current.ETag.ToString())
            ? current.ETag
            : throw new PreconditionFailedException($"'{current.RowKey}' is not at the version If-Match names; read it again and retry.");
    }

    public Task<ShareTokenInfo> RevokeShareTokenAsync(string id, string tokenId, CancellationToken cancellationToken) =>
        shareTokens.RevokeAsync(TwinValidator.ValidateId(id), tokenId, cancellationToken);
}
