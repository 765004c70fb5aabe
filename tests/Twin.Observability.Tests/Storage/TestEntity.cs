using Azure;
using Azure.Data.Tables;

namespace Twin.Observability.Tests.Storage;

public sealed class TestEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string? Value { get; set; }
}
