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

    private const string Scope = "Twins\nPartitionKey eq 'twin'";
    private const string AzureToken = "1!8!cGFydA-- 1!8!cm93";
    private const string AzuriteToken = "dHdpbg== dC0xMjM0NQ==";

    [Theory]
    [InlineData(AzureToken)]
    [InlineData(AzuriteToken)]
    [InlineData("1!8!cGFydA-- ")]
    public void Continuation_tokens_round_trip_and_are_opaque(string storageToken)
    {
        var encoded = ContinuationTokens.Encode(storageToken, Scope);

        Assert.DoesNotContain("cGFydA", encoded, StringComparison.Ordinal);
        Assert.DoesNotContain("dHdpbg", encoded, StringComparison.Ordinal);
        Assert.Equal(storageToken, ContinuationTokens.Decode(encoded, Scope));
        Assert.Null(ContinuationTokens.Encode(null, Scope));
        Assert.Null(ContinuationTokens.Decode(null, Scope));
    }

    [Theory]
    [InlineData("%%%")]
    [InlineData("dGhpcyBpcyBub3Qgb3VycyA")]
    [InlineData("dDE6Z2FyYmFnZQ")]
    [InlineData("dDE6MSE4IWNHRnlkQS0tIDEhOCFjbTkz")]
    public void Foreign_and_first_version_tokens_are_validation_errors(string token)
    {
        var error = Assert.Throws<RequestValidationException>(() => ContinuationTokens.Decode(token, Scope));

        Assert.Equal(["continuationToken"], error.Errors.Keys);
    }

    [Fact]
    public void A_token_is_refused_for_another_table_or_filter()
    {
        var encoded = ContinuationTokens.Encode(AzureToken, Scope);

        Assert.Throws<RequestValidationException>(() => ContinuationTokens.Decode(encoded, "ShareTokens\nPartitionKey eq 'twin'"));
        Assert.Throws<RequestValidationException>(() => ContinuationTokens.Decode(encoded, "Twins\nPartitionKey eq 'other'"));
    }

    [Fact]
    public void Changing_any_character_of_a_token_makes_it_invalid()
    {
        var bytes = System.Buffers.Text.Base64Url.DecodeFromChars(ContinuationTokens.Encode(AzureToken, Scope)!);

        for (var i = 0; i < bytes.Length; i++)
        {
            var tampered = (byte[])bytes.Clone();
            tampered[i] ^= 0x01;
            Assert.Throws<RequestValidationException>(() => ContinuationTokens.Decode(System.Buffers.Text.Base64Url.EncodeToString(tampered), Scope));
        }
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("1!8!cGFydA-- 1!8!cm93 extra")]
    [InlineData("1!8!cGFydA--\n 1!8!cm93")]
    [InlineData("pk' or true 1!8!cm93")]
    [InlineData(" 1!8!cm93")]
    public void A_storage_cursor_of_the_wrong_shape_is_refused_even_with_a_good_checksum(string storageToken)
    {
        var encoded = ContinuationTokens.Encode(storageToken, Scope);

        Assert.Throws<RequestValidationException>(() => ContinuationTokens.Decode(encoded, Scope));
    }

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
