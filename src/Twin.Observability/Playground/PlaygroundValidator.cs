using System.Globalization;
using System.Text.RegularExpressions;
using Twin.Observability.Chat;
using Twin.Observability.Common;
using Twin.Observability.Prompts;
using Twin.Observability.Twins;

namespace Twin.Observability.Playground;

/// <summary>
/// The rules of playground requests, checked before anything runs: the shape of a test or a comparison (sizes,
/// temperature 0–2, a prompt given one way only, variables), and — once prompts and the twin are known — that every
/// <c>{{variable}}</c> a prompt uses has a value, so a run never sends braces to the model.
/// </summary>
public static partial class PlaygroundValidator
{
    public const int MaxVariables = 50;
    public const int MaxVariableLength = 20_000;
    public const int MaxPromptLength = 50_000;
    public const int MaxPromptMessages = 50;
    public const string InlinePromptName = "playground";

    public static PlaygroundPlan Validate(PlaygroundTestRequest? request, PlaygroundOptions options, int maxMessageLength)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidationErrors();
        if (request is null)
        {
            errors.Add("body", "must be a JSON object.");
            errors.ThrowIfAny();
        }

        var variant = Variant(request!, 0, "", "default", errors);
        var input = Input(request!.Message, null, 0, "", maxMessageLength, errors);
        var twinId = TwinId(request.TwinId, errors);
        errors.ThrowIfAny();
        return new PlaygroundPlan(twinId, [variant], [input], request.Judge ?? true, request.FewShot ?? false);
    }

    public static PlaygroundPlan Validate(PlaygroundCompareRequest? request, PlaygroundOptions options, int maxMessageLength)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidationErrors();
        if (request is null)
        {
            errors.Add("body", "must be a JSON object.");
            errors.ThrowIfAny();
        }

        var variants = new List<PlaygroundVariant>();
        if (request!.Variants is not { Count: > 0 } givenVariants || givenVariants.Count > options.MaxVariants)
        {
            errors.Add("variants", $"must hold 1 to {options.MaxVariants} variants.");
        }
        else
        {
            for (var i = 0; i < givenVariants.Count; i++)
            {
                if (givenVariants[i] is { } given)
                {
                    variants.Add(Variant(given, i, $"variants[{i}].", $"variant-{i + 1}", errors));
                }
                else
                {
                    errors.Add($"variants[{i}]", "must be an object.");
                }
            }

            foreach (var duplicate in variants.GroupBy(v => v.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
            {
                errors.Add($"variants[{duplicate.Last().Index}].name", $"'{duplicate.Key}' names another variant too; names must be unique.");
            }
        }

        var inputs = new List<PlaygroundInput>();
        if (request.Inputs is not { Count: > 0 } givenInputs || givenInputs.Count > options.MaxInputs)
        {
            errors.Add("inputs", $"must hold 1 to {options.MaxInputs} inputs.");
        }
        else
        {
            for (var i = 0; i < givenInputs.Count; i++)
            {
                if (givenInputs[i] is { } given)
                {
                    inputs.Add(Input(given.Message, given.Variables, i, $"inputs[{i}].", maxMessageLength, errors));
                }
                else
                {
                    errors.Add($"inputs[{i}]", "must be an object.");
                }
            }
        }

        var twinId = TwinId(request.TwinId, errors);
        errors.ThrowIfAny();
        return new PlaygroundPlan(twinId, variants, inputs, request.Judge ?? true, request.FewShot ?? false);
    }

    /// <summary>
    /// Adds an error for each variable <paramref name="variant"/>'s prompt uses that neither <paramref name="twin"/>
    /// nor the variant's and the input's variables supply, naming the inputs that lack it when only some do.
    /// </summary>
    public static void CheckVariables(ValidationErrors errors, ResolvedVariant variant, TwinProfile twin, IReadOnlyList<PlaygroundInput> inputs)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(variant);
        ArgumentNullException.ThrowIfNull(inputs);
        var lacking = new SortedDictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (var input in inputs)
        {
            // The builder the pipeline uses, so "missing" means exactly what a run would leave unfilled.
            var built = PromptBuilder.Build(variant.Template, twin, [], [], [], input.Message, Merge(variant.Variant.Variables, input.Variables));
            foreach (var name in built.MissingVariables)
            {
                if (!lacking.TryGetValue(name, out var indexes))
                {
                    indexes = [];
                    lacking[name] = indexes;
                }

                indexes.Add(input.Index);
            }
        }

        foreach (var (name, indexes) in lacking)
        {
            var which = inputs.Count > 1 && indexes.Count < inputs.Count
                ? $" (inputs {string.Join(", ", indexes.Select(i => i.ToString(CultureInfo.InvariantCulture)))})"
                : "";
            errors.Add(variant.Variant.Field + "variables", $"the prompt uses {{{{{name}}}}}, which neither the twin nor the variables supply{which}.");
        }
    }

    /// <summary>The variables of one cell: the variant's, then the input's, which win.</summary>
    public static IReadOnlyDictionary<string, string> Merge(IReadOnlyDictionary<string, string> variant, IReadOnlyDictionary<string, string> input)
    {
        ArgumentNullException.ThrowIfNull(variant);
        ArgumentNullException.ThrowIfNull(input);
        if (input.Count == 0)
        {
            return variant;
        }

        var merged = new Dictionary<string, string>(variant, StringComparer.Ordinal);
        foreach (var (name, value) in input)
        {
            merged[name] = value;
        }

        return merged;
    }

    private static PlaygroundVariant Variant(PlaygroundSettingsRequest request, int index, string field, string defaultName, ValidationErrors errors)
    {
        var name = request.Name?.Trim();
        if (name is { Length: > 100 })
        {
            errors.Add(field + "name", "must be at most 100 characters.");
        }

        var inline = InlinePromptReader.Read(request.Prompt, field + "prompt", errors);
        if (inline is not null && (request.PromptName is not null || request.PromptLabel is not null || request.PromptVersion is not null))
        {
            errors.Add(field + "prompt", "give a prompt inline or a promptName (with promptLabel or promptVersion), not both.");
        }

        if (request.PromptName is { } promptName && (string.IsNullOrWhiteSpace(promptName) || promptName.Length > 200))
        {
            errors.Add(field + "promptName", "must be 1 to 200 characters.");
        }

        if (request.PromptLabel is { } label && (string.IsNullOrWhiteSpace(label) || label.Length > 100))
        {
            errors.Add(field + "promptLabel", "must be 1 to 100 characters.");
        }

        if (request.PromptVersion is < 1)
        {
            errors.Add(field + "promptVersion", "must be 1 or more.");
        }

        if (request.PromptLabel is not null && request.PromptVersion is not null)
        {
            errors.Add(field + "promptLabel", "give a label or a version, not both.");
        }

        if (request.Model is { } model && (string.IsNullOrWhiteSpace(model) || model.Length > 200))
        {
            errors.Add(field + "model", "must be 1 to 200 characters.");
        }

        if (request.Temperature is { } t && (!double.IsFinite(t) || t < 0 || t > 2))
        {
            errors.Add(field + "temperature", "must be between 0 and 2.");
        }

        return new PlaygroundVariant(
            index,
            string.IsNullOrEmpty(name) ? defaultName : name,
            field,
            inline,
            request.PromptName?.Trim(),
            request.PromptLabel?.Trim(),
            request.PromptVersion,
            request.Model?.Trim(),
            request.Temperature,
            Variables(request.Variables, field + "variables", errors));
    }

    private static PlaygroundInput Input(string? message, Dictionary<string, string>? variables, int index, string field, int maxMessageLength, ValidationErrors errors)
    {
        var text = message?.Trim() ?? "";
        if (text.Length == 0)
        {
            errors.Add(field + "message", "is required.");
        }
        else if (text.Length > maxMessageLength)
        {
            errors.Add(field + "message", $"must be at most {maxMessageLength} characters.");
        }

        return new PlaygroundInput(index, text, field, Variables(variables, field + "variables", errors));
    }

    private static string? TwinId(string? twinId, ValidationErrors errors)
    {
        if (twinId is null)
        {
            return null;
        }

        var id = twinId.Trim();
        if (id.Length is 0 or > 64 || !Storage.TableKeys.IsValid(id))
        {
            errors.Add("twinId", "must be a twin id.");
        }

        return id;
    }

    private static Dictionary<string, string> Variables(Dictionary<string, string>? given, string field, ValidationErrors errors)
    {
        if (given is null)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        if (given.Count > MaxVariables)
        {
            errors.Add(field, $"must hold at most {MaxVariables} variables.");
        }

        foreach (var (name, value) in given)
        {
            if (name.Length > 100 || !VariableName().IsMatch(name))
            {
                errors.Add(field, $"'{Shorten(name)}' is not a variable name: a letter or '_', then letters, digits, '_', '.' or '-' (at most 100).");
            }

            if (value is null)
            {
                errors.Add(field, $"'{Shorten(name)}' must be a string.");
            }
            else if (value.Length > MaxVariableLength)
            {
                errors.Add(field, $"'{Shorten(name)}' must be at most {MaxVariableLength} characters.");
            }
        }

        return new Dictionary<string, string>(given, StringComparer.Ordinal);
    }

    private static string Shorten(string name) => name.Length <= 40 ? name : name[..40] + "…";

    // Langfuse's placeholder names (PromptCompiler's pattern): a variable the compiler could never fill is a typo.
    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_.-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex VariableName();
}
