namespace Twin.Observability.Twins.Sharing;

/// <summary>Checks a share token presented for a twin: what chat admission needs of share tokens.</summary>
public interface IShareTokenVerifier
{
    /// <summary>The token's status, with its public id when it exists (it scopes the link's conversations).</summary>
    Task<(ShareTokenStatus Status, string? TokenId)> VerifyAsync(string twinId, string? token, CancellationToken cancellationToken);
}
