using System.Text.Json;
using Azure.Data.Tables;

namespace Twin.Observability.Datasets;

/// <summary>An item known to a bucket: its id, when it claimed the bucket and its word hashes (for exact Jaccard without another read).</summary>
public sealed record BucketMember(string ItemId, DateTimeOffset ClaimedAt, ulong[] Words)
{
    public double SimilarityTo(BucketMember other) => MinHash.Jaccard(Words, other.Words);
}

/// <summary>
/// One LSH bucket row of <c>DatasetBuckets</c>: partition = dataset, row = <c>{band:00}-{bucket key:x16}</c>, and the
/// items that fell into it (at most <see cref="MaxMembers"/>) as JSON in <c>Members</c>. Word hashes travel as base64
/// of little-endian 64-bit values, 1.6 KB for 200 words, so a full bucket stays far below a property's 64 KiB.
/// </summary>
public static class LshBucket
{
    public const int MaxMembers = 8;

    private const string MembersProperty = "Members";

    public static string RowKeyOf(int band, ulong key) => $"{band:D2}-{key:x16}";

    public static IReadOnlyList<BucketMember> MembersOf(TableEntity? row) =>
        row?.GetString(MembersProperty) is { Length: > 0 } json
            ? JsonSerializer.Deserialize<List<StoredMember>>(json)?.Select(m => m.ToMember()).ToList() ?? []
            : [];

    public static TableEntity RowOf(string partition, string rowKey, IEnumerable<BucketMember> members) => new(partition, rowKey)
    {
        [MembersProperty] = JsonSerializer.Serialize(members.Select(StoredMember.Of).ToList()),
    };

    private sealed record StoredMember(string Id, long At, string Words)
    {
        public static StoredMember Of(BucketMember member)
        {
            var bytes = new byte[member.Words.Length * sizeof(ulong)];
            for (var i = 0; i < member.Words.Length; i++)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * sizeof(ulong)), member.Words[i]);
            }

            return new StoredMember(member.ItemId, member.ClaimedAt.ToUnixTimeSeconds(), Convert.ToBase64String(bytes));
        }

        public BucketMember ToMember()
        {
            var bytes = Convert.FromBase64String(Words);
            var words = new ulong[bytes.Length / sizeof(ulong)];
            for (var i = 0; i < words.Length; i++)
            {
                words[i] = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(i * sizeof(ulong)));
            }

            return new BucketMember(Id, DateTimeOffset.FromUnixTimeSeconds(At), words);
        }
    }
}
