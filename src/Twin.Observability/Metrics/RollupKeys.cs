using System.Security.Cryptography;
using System.Text;
using Twin.Observability.Storage;

namespace Twin.Observability.Metrics;

/// <summary>
/// Tables and keys of the rollups. Each granularity and scope has its own table (<c>MetricRollupsHourAll</c>): a
/// query reads one view, and Azurite answers a partition range by scanning its whole table, so small tables keep a
/// 30-day query fast there (Azure's own service seeks to the range either way). Partition = granularity, scope and
/// the unit's start (<c>h-t-2026120419</c>), so a time range of one view is a range of partitions; row = <c>all</c>,
/// the twin's id, or a hash of the dimension set (its values are columns: model names may hold characters keys may
/// not).
/// </summary>
public static class RollupKeys
{
    public const string AllRow = "all";

    /// <summary>Every rollup table, for creating them.</summary>
    public static IReadOnlyList<string> Tables { get; } =
        [.. from granularity in Enum.GetValues<RollupGranularity>() from scope in Enum.GetValues<RollupScope>() select Table(granularity, scope)];

    public static string Table(RollupGranularity granularity, RollupScope scope) =>
        $"{StorageNames.Tables.MetricRollups}{granularity}{scope}";

    public static string Partition(RollupGranularity granularity, RollupScope scope, DateTimeOffset start) =>
        $"{granularity.Letter()}-{ScopeLetter(scope)}-{granularity.Stamp(start)}";

    public static DateTimeOffset StartOf(RollupGranularity granularity, string partitionKey) =>
        granularity.ParseStamp(partitionKey[4..]);

    /// <summary>A twin's row key: its id when a key may hold it (twin ids always can), else a hash of it.</summary>
    public static string TwinRow(string twinId) =>
        TableKeys.IsValid(twinId) && twinId != AllRow ? twinId : "~" + Hash(twinId);

    public static string DetailRow(MetricDimensions dimensions)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        return Hash(string.Join('\u001f', dimensions.Twin, dimensions.Endpoint, dimensions.Model, dimensions.Environment, dimensions.Prompt, dimensions.Experiment, dimensions.Variant));
    }

    private static char ScopeLetter(RollupScope scope) => scope switch
    {
        RollupScope.All => 'a',
        RollupScope.Twin => 't',
        _ => 'x',
    };

    private static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)).AsSpan(0, 16));
}
