using Azure.Data.Tables;
using Twin.Observability.Storage;
using Twin.Testing;
using Xunit;

namespace Twin.Observability.Tests.Storage;

[Collection(AzuriteCollection.Name)]
public sealed class ChunkedStringPropertyTests
{
    [Fact]
    public async Task A_string_larger_than_one_property_round_trips_through_azurite()
    {
        var table = new TableClient(AzuriteFixture.ConnectionString, "chunks" + Guid.NewGuid().ToString("N")[..12]);
        await table.CreateIfNotExistsAsync();
        try
        {
            var value = string.Concat(Enumerable.Range(0, 100_000).Select(i => (char)('a' + (i % 26))));
            var entity = new TableEntity("p", "r");
            ChunkedStringProperty.Write(entity, "Big", value);
            await table.AddEntityAsync(entity);

            var read = (await table.GetEntityAsync<TableEntity>("p", "r")).Value;

            Assert.Equal(value, ChunkedStringProperty.Read(read, "Big"));
            Assert.Equal(4, read.Keys.Count(k => k.StartsWith("Big", StringComparison.Ordinal)));
        }
        finally
        {
            await table.DeleteAsync();
        }
    }

    [Fact]
    public void Rewriting_a_shorter_value_drops_the_old_tail()
    {
        var entity = new TableEntity("p", "r");
        ChunkedStringProperty.Write(entity, "Big", new string('x', 70_000));

        ChunkedStringProperty.Write(entity, "Big", "short");

        Assert.Equal("short", ChunkedStringProperty.Read(entity, "Big"));
        Assert.False(entity.ContainsKey("Big_1"));
    }
}
