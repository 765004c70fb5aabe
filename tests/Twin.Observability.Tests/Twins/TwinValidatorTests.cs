using Twin.Observability.Common;
using Twin.Observability.Twins;
using Xunit;

namespace Twin.Observability.Tests.Twins;

public sealed class TwinValidatorTests
{
    private static TwinDefinition Valid => new()
    {
        Id = "ada",
        Name = " Ada ",
        Persona = "I am Ada.",
        Knowledge = [" fact one ", "fact two"],
        AllowedOrigins = ["HTTPS://Example.com/", "http://localhost:3000", "https://example.com"],
    };

    [Fact]
    public void A_valid_twin_is_trimmed_and_its_origins_normalised_and_deduplicated()
    {
        var twin = TwinValidator.Validate(Valid, routeId: null);

        Assert.Equal("Ada", twin.Name);
        Assert.Equal(["fact one", "fact two"], twin.Knowledge);
        Assert.Equal(["https://example.com", "http://localhost:3000"], twin.AllowedOrigins);
    }

    [Fact]
    public void Every_broken_rule_is_reported_at_once()
    {
        var bad = new TwinDefinition
        {
            Id = "Not Valid!",
            Name = "",
            Persona = new string('p', TwinLimits.PersonaMaxLength + 1),
            Knowledge = ["ok", " "],
            Temperature = 3,
            AllowedOrigins = ["https://example.com/path", "ftp://example.com"],
        };

        var errors = Assert.Throws<RequestValidationException>(() => TwinValidator.Validate(bad, null)).Errors;

        Assert.Equal(
            ["allowedOrigins[0]", "allowedOrigins[1]", "id", "knowledge[1]", "name", "persona", "temperature"],
            errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_body_id_must_match_the_route_id_and_defaults_to_it()
    {
        Assert.Equal("ada", TwinValidator.Validate(Valid with { Id = null }, "ada").Id);
        var errors = Assert.Throws<RequestValidationException>(() => TwinValidator.Validate(Valid with { Id = "bob" }, "ada")).Errors;
        Assert.Contains("id", errors.Keys);
    }

    [Theory]
    [InlineData("a", true)]
    [InlineData("demo-twin-2", true)]
    [InlineData("-lead", false)]
    [InlineData("trail-", false)]
    [InlineData("UPPER", false)]
    [InlineData("x' or true", false)]
    [InlineData("a/b", false)]
    public void Ids_are_lower_case_url_and_key_safe(string id, bool valid)
    {
        Assert.Equal(valid, TwinValidator.IsValidId(id));
    }

    [Fact]
    public void Knowledge_over_the_total_limit_is_refused()
    {
        var snippet = new string('k', TwinLimits.KnowledgeItemMaxLength);
        var tooMuch = Enumerable.Repeat(snippet, (TwinLimits.KnowledgeMaxTotalLength / snippet.Length) + 1).ToList();

        var errors = Assert.Throws<RequestValidationException>(() => TwinValidator.Validate(Valid with { Knowledge = tooMuch }, null)).Errors;

        Assert.Equal(["knowledge"], errors.Keys);
    }
}
