using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Twin.Observability.Common;
using Twin.Observability.Storage;
using Twin.Observability.Twins;
using Twin.Observability.Twins.Sharing;
using Twin.Testing;
using Xunit;

namespace Twin.Observability.Tests.Twins;

[Collection(AzuriteCollection.Name)]
public sealed class ShareTokenServiceTests : IAsyncLifetime
{
    private readonly TableServiceClient _tables = new(AzuriteFixture.ConnectionString);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly string _twinId = "share-" + Guid.NewGuid().ToString("N")[..10];
    private ShareTokenService _service = null!;

    public async Task InitializeAsync()
    {
        await _tables.CreateTableIfNotExistsAsync(StorageNames.Tables.ShareTokens);
        _service = new ShareTokenService(_tables, Options.Create(new TwinsOptions()), _time);
    }

    public Task DisposeAsync() => _service.DeleteAllAsync(_twinId, default);

    [Fact]
    public async Task A_token_is_valid_until_it_expires()
    {
        var issued = await _service.IssueAsync(_twinId, _time.GetUtcNow().AddHours(1), default);

        Assert.Equal(ShareTokenStatus.Valid, await _service.CheckAsync(_twinId, issued.Token, default));
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(ShareTokenStatus.Expired, await _service.CheckAsync(_twinId, issued.Token, default));
    }

    [Fact]
    public async Task A_revoked_token_stops_working_and_revoking_again_is_harmless()
    {
        var issued = await _service.IssueAsync(_twinId, null, default);

        var revoked = await _service.RevokeAsync(_twinId, issued.Id, default);
        var again = await _service.RevokeAsync(_twinId, issued.Id, default);

        Assert.Equal(ShareTokenStatus.Revoked, await _service.CheckAsync(_twinId, issued.Token, default));
        Assert.Equal(revoked.RevokedAt, again.RevokedAt);
    }

    [Fact]
    public async Task Unknown_tokens_and_tokens_of_other_twins_are_refused()
    {
        var issued = await _service.IssueAsync(_twinId, null, default);

        Assert.Equal(ShareTokenStatus.Unknown, await _service.CheckAsync(_twinId, issued.Token + "x", default));
        Assert.Equal(ShareTokenStatus.Unknown, await _service.CheckAsync("other-twin", issued.Token, default));
        Assert.Equal(ShareTokenStatus.Unknown, await _service.CheckAsync(_twinId, null, default));
    }

    [Fact]
    public async Task Only_a_hash_of_the_token_is_stored()
    {
        var issued = await _service.IssueAsync(_twinId, null, default);

        var rows = _tables.GetTableClient(StorageNames.Tables.ShareTokens).QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {_twinId}"));
        await foreach (var row in rows)
        {
            Assert.DoesNotContain(((IDictionary<string, object>)row).Values, v => v?.ToString()?.Contains(issued.Token, StringComparison.Ordinal) == true);
            Assert.NotEqual(issued.Token, row.RowKey);
        }

        Assert.True(issued.Token.Length >= 43, "256 random bits in Base64url are 43 characters");
    }

    [Fact]
    public async Task Expiry_must_be_ahead_and_within_the_maximum()
    {
        await Assert.ThrowsAsync<RequestValidationException>(() => _service.IssueAsync(_twinId, _time.GetUtcNow().AddSeconds(-1), default));
        await Assert.ThrowsAsync<RequestValidationException>(() => _service.IssueAsync(_twinId, _time.GetUtcNow().AddDays(366), default));
        var defaulted = await _service.IssueAsync(_twinId, null, default);
        Assert.Equal(_time.GetUtcNow().AddDays(30), defaulted.ExpiresAt);
    }

    [Fact]
    public async Task Revoking_an_unknown_token_id_is_not_found()
    {
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => _service.RevokeAsync(_twinId, "0000000000000000", default));
    }
}
