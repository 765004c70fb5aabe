using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Twin.Observability.Security;
using Twin.Testing;
using Xunit;

namespace Twin.Observability.Tests.Security;

/// <summary>A bearer token must always be meant for this app: with an issuer there must be an audience, and it is checked.</summary>
public sealed class JwtAudienceTests
{
    private static AuthOptions WithJwt(string? audience) => new()
    {
        Jwt = new JwtOptions { Issuer = TestJwt.Issuer, Audience = audience, SigningKeys = [TestJwt.SigningKey] },
    };

    private static List<ValidationResult> Validate(AuthOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void An_issuer_without_an_audience_is_refused_at_start_up(string? audience)
    {
        var errors = Validate(WithJwt(audience));

        Assert.Contains(errors, e => e.ErrorMessage!.Contains("Auth:Jwt:Audience", StringComparison.Ordinal));
    }

    [Fact]
    public void No_issuer_needs_no_audience_and_an_issuer_with_one_is_fine()
    {
        Assert.Empty(Validate(new AuthOptions()));
        Assert.Empty(Validate(WithJwt(TestJwt.Audience)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task Even_without_a_configured_audience_a_token_is_never_accepted_for_any_audience(string? audience)
    {
        var validator = new BearerTokenValidator(Options.Create(WithJwt(audience)));

        Assert.Null(await validator.ValidateAsync(TestJwt.Create("u-1", audience: "some-other-api"), default));
        Assert.Null(await validator.ValidateAsync(TestJwt.Create("u-1"), default));
    }

    [Fact]
    public async Task The_configured_audience_is_checked()
    {
        var validator = new BearerTokenValidator(Options.Create(WithJwt(TestJwt.Audience)));

        Assert.Equal("u-1", await validator.ValidateAsync(TestJwt.Create("u-1"), default));
        Assert.Null(await validator.ValidateAsync(TestJwt.Create("u-1", audience: "some-other-api"), default));
    }
}
