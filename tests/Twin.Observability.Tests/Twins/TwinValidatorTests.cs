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

    [Fact]
    public void Persona_rules_default_when_omitted_and_are_normalised_when_given()
    {
        Assert.Equal(PersonaRules.Default.FirstPerson, TwinValidator.Validate(Valid, routeId: null).PersonaRules!.FirstPerson);
        Assert.Empty(TwinValidator.Validate(Valid, routeId: null).PersonaRules!.ForbiddenTopics);

        var rules = TwinValidator.Validate(Valid with { PersonaRules = new PersonaRules { ForbiddenTopics = [" Medical ", "medical", "legal"], Voice = "  warm  " } }, routeId: null).PersonaRules!;

        Assert.Equal(["medical", "legal"], rules.ForbiddenTopics);
        Assert.Equal("warm", rules.Voice);
    }

    [Fact]
    public void Broken_persona_rules_are_reported_by_field()
    {
        var bad = Valid with
        {
            PersonaRules = new PersonaRules { ForbiddenTopics = ["ok", " ", new string('t', 61)], MaxReplyWords = 0, Voice = new string('v', 201) },
        };

        var errors = Assert.Throws<RequestValidationException>(() => TwinValidator.Validate(bad, routeId: null)).Errors;

        Assert.Contains("personaRules.forbiddenTopics[1]", errors.Keys);
        Assert.Contains("personaRules.forbiddenTopics[2]", errors.Keys);
        Assert.Contains("personaRules.maxReplyWords", errors.Keys);
        Assert.Contains("personaRules.voice", errors.Keys);
        Assert.DoesNotContain("personaRules.forbiddenTopics[0]", errors.Keys);
    }
}
