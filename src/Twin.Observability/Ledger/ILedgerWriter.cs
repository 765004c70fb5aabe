namespace Twin.Observability.Ledger;

/// <summary>Records one traced request in the ledger.</summary>
public interface ILedgerWriter
{
    Task WriteAsync(LedgerEntry entry, CancellationToken cancellationToken);
}
