using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Twin.Observability.Common;
using Twin.Observability.Storage;

namespace Twin.Observability.Twins.Sharing;

/// <summary>
/// Issues, lists, revokes and checks the share tokens behind <c>/api/public/chat/{twinId}/{token}</c>.
/// Tokens are 256 random bits; only their SHA-256 is stored, so a leaked table does not leak working links.
/// </summary>
public sealed class ShareTokenService(TableServiceClient tables, IOptions<TwinsOptions> options, TimeProvider time) : IShareTokenVerifier
{
    private const string TokenPrefix = "tws_";
    private readonly TableStore<ShareTokenEntity> _store = new(tables.GetTableClient(StorageNames.Tables.ShareTokens));

    public async Task<IssuedShareToken> IssueAsync(string twinId, DateTimeOffset? expiresAt, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var expiry = expiresAt ?? now.AddDays(options.Value.ShareTokenDefaultLifetimeDays);
        if (expiry <= now)
        {
            throw new RequestValidationException("expiresAt", "must be in the future.");
        }

        if (expiry > now.AddDays(options.Value.ShareTokenMaxLifetimeDays))
        {
            throw new RequestValidationException("expiresAt", $"must be at most {options.Value.ShareTokenMaxLifetimeDays} days ahead.");
        }

        var token = TokenPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var entity = new ShareTokenEntity
        {
            PartitionKey = twinId,
            RowKey = Hash(token),
            TokenId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            CreatedAt = now,
            ExpiresAt = expiry.ToUniversalTime(),
        };
        await _store.AddAsync(entity, cancellationToken).ConfigureAwait(false);
        return new IssuedShareToken(entity.TokenId, twinId, token, entity.CreatedAt, entity.ExpiresAt);
    }

    /// <summary>
    /// One page of the twin's tokens. They are stored by hash, so the order is stable but not by age; within a page
    /// they are sorted oldest first.
    /// </summary>
    public async Task<ResultPage<ShareTokenInfo>> ListAsync(string twinId, PageRequest page, CancellationToken cancellationToken)
    {
        var result = await _store.QueryPageAsync($"PartitionKey eq {twinId}", page, cancellationToken).ConfigureAwait(false);
        return new ResultPage<ShareTokenInfo>(result.Items.OrderBy(t => t.CreatedAt).Select(ToInfo).ToList(), result.ContinuationToken);
    }

    /// <summary>Marks the token revoked (kept for audit). Revoking twice is not an error.</summary>
    public async Task<ShareTokenInfo> RevokeAsync(string twinId, string tokenId, CancellationToken cancellationToken)
    {
        ShareTokenEntity? found = null;
        await foreach (var entity in _store.QueryAllAsync($"PartitionKey eq {twinId} and TokenId eq {tokenId}", cancellationToken).ConfigureAwait(false))
        {
            found = entity;
        }

        if (found is null)
        {
            throw new ResourceNotFoundException("Share token", tokenId);
        }

        if (found.RevokedAt is null)
        {
            found.RevokedAt = time.GetUtcNow();
            found = await _store.ReplaceAsync(found, found.ETag, cancellationToken).ConfigureAwait(false);
        }

        return ToInfo(found);
    }

    /// <summary>Checks a token presented for <paramref name="twinId"/>: a single point read by its hash.</summary>
    public async Task<ShareTokenStatus> CheckAsync(string twinId, string? token, CancellationToken cancellationToken) =>
        (await VerifyAsync(twinId, token, cancellationToken).ConfigureAwait(false)).Status;

    /// <summary>As <see cref="CheckAsync"/>, with the token's public id when it exists (it scopes the link's conversations).</summary>
    public async Task<(ShareTokenStatus Status, string? TokenId)> VerifyAsync(string twinId, string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || !TableKeys.IsValid(twinId) || token.Length > 200)
        {
            return (ShareTokenStatus.Unknown, null);
        }

        var entity = await _store.FindAsync(twinId, Hash(token), cancellationToken).ConfigureAwait(false);
        var status = entity switch
        {
            null => ShareTokenStatus.Unknown,
            { RevokedAt: not null } => ShareTokenStatus.Revoked,
            _ when entity.ExpiresAt <= time.GetUtcNow() => ShareTokenStatus.Expired,
            _ => ShareTokenStatus.Valid,
        };
        return (status, entity?.TokenId);
    }

    /// <summary>Removes every token of a deleted twin, so its links stop working even if the id is reused.</summary>
    public async Task DeleteAllAsync(string twinId, CancellationToken cancellationToken)
    {
        await foreach (var entity in _store.QueryAllAsync($"PartitionKey eq {twinId}", cancellationToken).ConfigureAwait(false))
        {
            await _store.DeleteAsync(entity.PartitionKey, entity.RowKey, Azure.ETag.All, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static ShareTokenInfo ToInfo(ShareTokenEntity e) => new(e.TokenId, e.PartitionKey, e.CreatedAt, e.ExpiresAt, e.RevokedAt);
}
