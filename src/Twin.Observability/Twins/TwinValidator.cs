using System.Text.RegularExpressions;
using Twin.Observability.Common;

namespace Twin.Observability.Twins;

/// <summary>The rules a twin must meet. Returns the normalised definition or throws with every broken rule at once.</summary>
public static partial class TwinValidator
{
    /// <summary>Lower-case letters, digits and inner hyphens: safe in URLs, Table keys, tags and dataset names.</summary>
    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    public static bool IsValidId(string? id) => id is not null && IdPattern().IsMatch(id);

    /// <summary>Throws a 400-mapped error when <paramref name="id"/> cannot be a twin id.</summary>
    public static string ValidateId(string? id, string field = "twinId")
    {
        if (!IsValidId(id))
        {
            throw new RequestValidationException(field, IdRule);
        }

        return id!;
    }

    public static TwinDefinition Validate(TwinDefinition definition, string? routeId)
    {
        var errors = new ValidationErrors();
        var id = definition.Id ?? routeId;
        if (!IsValidId(id))
        {
            errors.Add("id", IdRule);
        }
        else if (routeId is not null && definition.Id is not null && definition.Id != routeId)
        {
            errors.Add("id", "must match the twin id in the URL.");
        }

        Required(errors, "name", definition.Name, TwinLimits.NameMaxLength);
        Required(errors, "persona", definition.Persona, TwinLimits.PersonaMaxLength);
        var knowledge = ValidateKnowledge(errors, definition.Knowledge ?? []);
        if (definition.Model is { } model && (string.IsNullOrWhiteSpace(model) || model.Length > TwinLimits.ModelMaxLength))
        {
            errors.Add("model", $"must be a model name of 1 to {TwinLimits.ModelMaxLength} characters, or omitted.");
        }

        if (definition.Temperature is { } t && (double.IsNaN(t) || t < 0 || t > TwinLimits.TemperatureMax))
        {
            errors.Add("temperature", $"must be from 0 to {TwinLimits.TemperatureMax}.");
        }

        var origins = ValidateOrigins(errors, definition.AllowedOrigins ?? []);
        var rules = ValidatePersonaRules(errors, definition.PersonaRules ?? PersonaRules.Default);
        errors.ThrowIfAny();
        return definition with
        {
            Id = id,
            Name = definition.Name!.Trim(),
            Persona = definition.Persona!.Trim(),
            Knowledge = knowledge,
            Model = definition.Model?.Trim(),
            AllowedOrigins = origins,
            PersonaRules = rules,
        };
    }

    private const string IdRule = "must be 1 to 63 lower-case letters, digits or inner hyphens.";

    private static void Required(ValidationErrors errors, string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, "is required.");
        }
        else if (value.Length > maxLength)
        {
            errors.Add(field, $"must be at most {maxLength} characters.");
        }
    }

    private static List<string> ValidateKnowledge(ValidationErrors errors, IReadOnlyList<string> knowledge)
    {
        if (knowledge.Count > TwinLimits.KnowledgeMaxItems)
        {
            errors.Add("knowledge", $"must hold at most {TwinLimits.KnowledgeMaxItems} snippets.");
        }

        var total = 0;
        var cleaned = new List<string>(knowledge.Count);
        for (var i = 0; i < knowledge.Count; i++)
        {
            var snippet = knowledge[i]?.Trim();
            if (string.IsNullOrEmpty(snippet))
            {
                errors.Add($"knowledge[{i}]", "must not be empty.");
                continue;
            }

            if (snippet.Length > TwinLimits.KnowledgeItemMaxLength)
            {
                errors.Add($"knowledge[{i}]", $"must be at most {TwinLimits.KnowledgeItemMaxLength} characters.");
            }

            total += snippet.Length;
            cleaned.Add(snippet);
        }

        if (total > TwinLimits.KnowledgeMaxTotalLength)
        {
            errors.Add("knowledge", $"must total at most {TwinLimits.KnowledgeMaxTotalLength} characters.");
        }

        return cleaned;
    }

    private static PersonaRules ValidatePersonaRules(ValidationErrors errors, PersonaRules rules)
    {
        var topics = new List<string>();
        var given = rules.ForbiddenTopics ?? [];
        if (given.Count > TwinLimits.ForbiddenTopicsMaxItems)
        {
            errors.Add("personaRules.forbiddenTopics", $"must hold at most {TwinLimits.ForbiddenTopicsMaxItems} topics.");
        }

        for (var i = 0; i < given.Count; i++)
        {
            var topic = given[i]?.Trim().ToLowerInvariant();
            if (string.IsNullOrEmpty(topic) || topic.Length > TwinLimits.ForbiddenTopicMaxLength)
            {
                errors.Add($"personaRules.forbiddenTopics[{i}]", $"must be a topic of 1 to {TwinLimits.ForbiddenTopicMaxLength} characters.");
            }
            else if (!topics.Contains(topic, StringComparer.Ordinal))
            {
                topics.Add(topic);
            }
        }

        if (rules.Voice is { Length: > TwinLimits.VoiceMaxLength })
        {
            errors.Add("personaRules.voice", $"must be at most {TwinLimits.VoiceMaxLength} characters.");
        }

        if (rules.MaxReplyWords is { } words && (words < 1 || words > TwinLimits.MaxReplyWordsMax))
        {
            errors.Add("personaRules.maxReplyWords", $"must be from 1 to {TwinLimits.MaxReplyWordsMax}, or omitted.");
        }

        return rules with { ForbiddenTopics = topics, Voice = string.IsNullOrWhiteSpace(rules.Voice) ? null : rules.Voice.Trim() };
    }

    private static List<string> ValidateOrigins(ValidationErrors errors, IReadOnlyList<string> origins)
    {
        if (origins.Count > TwinLimits.AllowedOriginsMaxItems)
        {
            errors.Add("allowedOrigins", $"must hold at most {TwinLimits.AllowedOriginsMaxItems} origins.");
        }

        var normalised = new List<string>(origins.Count);
        for (var i = 0; i < origins.Count; i++)
        {
            if (WidgetOrigin.TryNormalise(origins[i], out var origin))
            {
                if (!normalised.Contains(origin, StringComparer.Ordinal))
                {
                    normalised.Add(origin);
                }
            }
            else
            {
                errors.Add($"allowedOrigins[{i}]", "must be an origin such as https://example.com or http://localhost:3000 (scheme, host and optional port, no path).");
            }
        }

        return normalised;
    }
}
