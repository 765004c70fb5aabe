namespace Twin.Observability.Metrics;

/// <summary>
/// Which rows of a time unit a query reads. Every unit keeps three views of the same rows: one total, one per twin,
/// and one per full dimension set, so the common queries (everything, one twin) read one row per unit.
/// </summary>
public enum RollupScope
{
    All,
    Twin,
    Detail,
}
