namespace Twin.Observability.Twins.Sharing;

/// <summary>The outcome of checking a presented share token.</summary>
public enum ShareTokenStatus
{
    Valid,
    Unknown,
    Expired,
    Revoked,
}
