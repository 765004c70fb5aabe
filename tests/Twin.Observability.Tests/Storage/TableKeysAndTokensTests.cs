using Twin.Observability.Common;
using Twin.Observability.Storage;
using Xunit;

namespace Twin.Observability.Tests.Storage;

public sealed class TableKeysAndTokensTests
{
    [Fact]
    public void Keys_longer_than_512_characters_are_refused()
    {
        Assert.True(TableKeys.IsValid(new string('a', 512)));
        Assert.False(TableKeys.IsValid(new string('a', 513)));
    }

    [Theory]
    [InlineData("quote'is fine")]
    [InlineData("spaces are fine")]
    [InlineData("ünïcödé")]
    public void Characters_the_service_allows_are_allowed(string key) => Assert.True(TableKeys.IsValid(key));

    [Fact]
    public void Continuation_tokens_round_trip_and_are_opaque()
    {
        var encoded = ContinuationTokens.Encode("1!8!cGFydA-- 1!8!cm93");

        Assert.DoesNotContain("cGFydA", encoded, StringComparison.Ordinal);
        Assert.Equal("1!8!cGFydA-- 1!8!cm93", ContinuationTokens.Decode(encoded));
        Assert.Null(ContinuationTokens.Encode(null));
    }

    [Theory]
    [InlineData("%%%")]
    [InlineData("dGhpcyBpcyBub3Qgb3VycyA")]
    public void Foreign_tokens_are_validation_errors(string token) =>
        Assert.Throws<RequestValidationException>(() => ContinuationTokens.Decode(token));

    [Theory]
    [InlineData(null, 50)]
    [InlineData("1", 1)]
    [InlineData("500", 500)]
    public void Page_limits_default_to_50(string? limit, int expected) => Assert.Equal(expected, PageRequest.Parse(limit, null).Limit);

    [Theory]
    [InlineData("0")]
    [InlineData("501")]
    [InlineData("-1")]
    [InlineData("ten")]
    public void Page_limits_outside_1_to_500_are_refused(string limit) =>
        Assert.Throws<RequestValidationException>(() => PageRequest.Parse(limit, null));
}
