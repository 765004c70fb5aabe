namespace Twin.Observability.Ledger;

/// <summary>The <c>Status</c> of a ledger row.</summary>
public static class LedgerStatuses
{
    public const string Ok = "ok";

    /// <summary>Refused or failed; <c>ErrorType</c> says why. Metrics count these as errors.</summary>
    public const string Error = "error";

    /// <summary>
    /// The caller hung up before the answer (HTTP 499). A request, but neither an error (nothing failed on the app's
    /// side) nor a latency sample (it ended when the caller left, not when the chat did).
    /// </summary>
    public const string Cancelled = "cancelled";
}
