using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Text;

namespace Twin.Observability.Ledger;

/// <summary>
/// Keys of the <c>Ledger</c> table. Partition = UTC hour and a shard taken from the trace id (<c>yyyyMMddHH-ss</c>),
/// so writes spread over several partitions an hour and a time range is still a range of partitions; row = timestamp,
/// trace id and root observation id, so rows read in time order within a partition and a chat has one row.
/// </summary>
public static class LedgerKeys
{
    public const string HourFormat = "yyyyMMddHH";

    public const string MinuteFormat = "yyyyMMddHHmm";

    private const string TimestampFormat = "yyyyMMddHHmmssfffffff";

    public static string PartitionOf(DateTimeOffset at, string traceId, int shards) =>
        $"{HourOf(at)}-{ShardOf(traceId, shards).ToString("D2", CultureInfo.InvariantCulture)}";

    public static string HourOf(DateTimeOffset at) => at.UtcDateTime.ToString(HourFormat, CultureInfo.InvariantCulture);

    /// <summary>A stable shard for the trace (XxHash32 of its id, never <c>string.GetHashCode</c>, which varies by process).</summary>
    public static int ShardOf(string traceId, int shards) =>
        (int)(BinaryPrimitives.ReadUInt32BigEndian(XxHash32.Hash(Encoding.UTF8.GetBytes(traceId))) % (uint)shards);

    public static string RowKeyOf(DateTimeOffset timestamp, string traceId, string observationId) =>
        $"{TimestampKey(timestamp)}-{traceId}-{observationId}";

    /// <summary>The row-key prefix of an instant: rows at or after it sort at or after this string.</summary>
    public static string TimestampKey(DateTimeOffset at) => at.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    /// <summary>
    /// The time a row was written for, from its row key. The entity's <c>Timestamp</c> property is the service's own
    /// (the time of the last write, which a score update moves), so the key is the record.
    /// </summary>
    public static DateTimeOffset TimestampOf(string rowKey) => ParsePrefix(rowKey, TimestampFormat, "row");

    public static DateTimeOffset HourStartOf(string partitionKey) => ParsePrefix(partitionKey, HourFormat, "partition");

    private static DateTimeOffset ParsePrefix(string key, string format, string kind)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Length >= format.Length
            && DateTime.TryParseExact(key.AsSpan(0, format.Length), format, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at)
            ? new DateTimeOffset(at, TimeSpan.Zero)
            : throw new FormatException($"'{key}' is not a ledger {kind} key.");
    }

    /// <summary>The first partition key of an hour (every shard of it sorts at or after it).</summary>
    public static string FirstPartitionOf(DateTimeOffset hour) => HourOf(hour);

    /// <summary>A key above every partition of the hour of <paramref name="hour"/> and below the next hour's.</summary>
    public static string PastPartitionsOf(DateTimeOffset hour) => HourOf(hour) + "~";
}
