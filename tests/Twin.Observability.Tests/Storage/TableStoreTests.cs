using Azure;
using Azure.Data.Tables;
using Twin.Observability.Common;
using Twin.Observability.Storage;
using Twin.Testing;
using Xunit;

namespace Twin.Observability.Tests.Storage;

[Collection(AzuriteCollection.Name)]
public sealed class TableStoreTests : IAsyncLifetime
{
    private readonly TableClient _table = new(AzuriteFixture.ConnectionString, "storetests" + Guid.NewGuid().ToString("N")[..12]);
    private TableStore<TestEntity> _store = null!;

    public async Task InitializeAsync()
    {
        await _table.CreateIfNotExistsAsync();
        _store = new TableStore<TestEntity>(_table);
    }

    public async Task DisposeAsync() => await _table.DeleteAsync();

    [Fact]
    public async Task Added_entity_reads_back_with_its_etag()
    {
        var added = await _store.AddAsync(new TestEntity { PartitionKey = "p", RowKey = "r1", Value = "one" }, default);

        var found = await _store.FindAsync("p", "r1", default);

        Assert.NotNull(found);
        Assert.Equal("one", found.Value);
        Assert.Equal(added.ETag, found.ETag);
        Assert.Null(await _store.FindAsync("p", "missing", default));
    }

    [Fact]
    public async Task Adding_the_same_keys_twice_is_a_conflict()
    {
        await _store.AddAsync(new TestEntity { PartitionKey = "p", RowKey = "dup" }, default);

        await Assert.ThrowsAsync<ResourceConflictException>(() => _store.AddAsync(new TestEntity { PartitionKey = "p", RowKey = "dup" }, default));
    }

    [Fact]
    public async Task Replace_with_a_stale_etag_fails_and_keeps_the_newer_write()
    {
        var original = await _store.AddAsync(new TestEntity { PartitionKey = "p", RowKey = "etag", Value = "v1" }, default);
        var staleETag = original.ETag;
        await _store.ReplaceAsync(new TestEntity { PartitionKey = "p", RowKey = "etag", Value = "v2" }, staleETag, default);

        await Assert.ThrowsAsync<PreconditionFailedException>(() =>
            _store.ReplaceAsync(new TestEntity { PartitionKey = "p", RowKey = "etag", Value = "v3" }, staleETag, default));

        Assert.Equal("v2", (await _store.FindAsync("p", "etag", default))!.Value);
    }

    [Fact]
    public async Task Replace_of_a_missing_entity_is_not_found()
    {
        await Assert.ThrowsAsync<ResourceNotFoundException>(() =>
            _store.ReplaceAsync(new TestEntity { PartitionKey = "p", RowKey = "ghost" }, ETag.All, default));
    }

    [Fact]
    public async Task Delete_honours_etag_and_reports_absence()
    {
        var entity = await _store.AddAsync(new TestEntity { PartitionKey = "p", RowKey = "del", Value = "a" }, default);
        await _store.ReplaceAsync(new TestEntity { PartitionKey = "p", RowKey = "del", Value = "b" }, entity.ETag, default);

        await Assert.ThrowsAsync<PreconditionFailedException>(() => _store.DeleteAsync("p", "del", entity.ETag, default));
        Assert.True(await _store.DeleteAsync("p", "del", ETag.All, default));
        Assert.False(await _store.DeleteAsync("p", "del", ETag.All, default));
    }

    [Fact]
    public async Task Paging_follows_continuation_tokens_through_every_entity_once()
    {
        var keys = Enumerable.Range(0, 25).Select(i => $"row{i:D2}").ToList();
        foreach (var key in keys)
        {
            await _store.AddAsync(new TestEntity { PartitionKey = "paged", RowKey = key }, default);
        }

        var seen = new List<string>();
        var pages = 0;
        string? token = null;
        do
        {
            var page = await _store.QueryPageAsync($"PartitionKey eq {"paged"}", new PageRequest(10, token), default);
            Assert.True(page.Items.Count <= 10);
            seen.AddRange(page.Items.Select(e => e.RowKey));
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null && pages < 10);

        Assert.Equal(keys, seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task A_mangled_continuation_token_is_a_validation_error()
    {
        var error = await Assert.ThrowsAsync<RequestValidationException>(() =>
            _store.QueryPageAsync(null, new PageRequest(10, "not a token!"), default));

        Assert.Contains("continuationToken", error.Errors.Keys);
    }

    [Theory]
    [InlineData("' or true")]
    [InlineData("x' or PartitionKey ne '")]
    [InlineData("' or RowKey ge '")]
    [InlineData("\" or 1 eq 1 or \"")]
    public async Task Filter_injection_in_a_value_matches_nothing_and_raises_nothing(string hostile)
    {
        await _store.AddAsync(new TestEntity { PartitionKey = "victim", RowKey = "secret", Value = "hidden" }, default);

        var page = await _store.QueryPageAsync($"PartitionKey eq {hostile}", PageRequest.First, default);
        var all = new List<TestEntity>();
        await foreach (var e in _store.QueryAllAsync($"PartitionKey eq {"victim"} and RowKey eq {hostile}", default))
        {
            all.Add(e);
        }

        Assert.Empty(page.Items);
        Assert.Empty(all);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("a#b")]
    [InlineData("a?b")]
    [InlineData("tab\there")]
    [InlineData("del\u007f")]
    public async Task Invalid_keys_are_refused_before_storage_is_called(string key)
    {
        var error = await Assert.ThrowsAsync<RequestValidationException>(() => _store.AddAsync(new TestEntity { PartitionKey = "p", RowKey = key }, default));

        Assert.Contains("rowKey", error.Errors.Keys);
        await Assert.ThrowsAsync<RequestValidationException>(() => _store.FindAsync(key, "r", default));
    }

    [Fact]
    public async Task Unreachable_storage_is_reported_as_unavailable()
    {
        var closed = new TableClient(
            new Uri("http://127.0.0.1:9/devstoreaccount1"),
            "nothing",
            new TableSharedKeyCredential("devstoreaccount1", "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="),
            new TableClientOptions { Retry = { MaxRetries = 0 } });
        var store = new TableStore<TestEntity>(closed);

        await Assert.ThrowsAsync<StorageUnavailableException>(() => store.FindAsync("p", "r", default));
        await Assert.ThrowsAsync<StorageUnavailableException>(() => store.QueryPageAsync(null, PageRequest.First, default));
    }

    [Fact]
    public async Task A_table_that_disappeared_is_created_again_by_the_next_write_which_then_succeeds()
    {
        await _table.DeleteAsync();

        await _store.AddAsync(new TestEntity { PartitionKey = "p", RowKey = "after-loss", Value = "back" }, default);

        Assert.Equal("back", (await _store.FindAsync("p", "after-loss", default))!.Value);
    }

    [Fact]
    public async Task Queries_of_a_table_that_disappeared_create_it_again_and_find_nothing()
    {
        await _store.AddAsync(new TestEntity { PartitionKey = "p", RowKey = "lost" }, default);
        await _table.DeleteAsync();

        var page = await _store.QueryPageAsync(null, PageRequest.First, default);
        await _table.DeleteAsync();
        var all = await _store.QueryAllAsync(null, default).ToListAsync();

        Assert.Empty(page.Items);
        Assert.Empty(all);
        await _store.UpsertAsync(new TestEntity { PartitionKey = "p", RowKey = "again" }, default);
    }
}
