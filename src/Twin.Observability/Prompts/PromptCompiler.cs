using System.Text.RegularExpressions;

namespace Twin.Observability.Prompts;

/// <summary>
/// Fills <c>{{variable}}</c> placeholders (Langfuse's syntax; spaces inside the braces allowed). A placeholder with no
/// value is left as it is and reported, so a prompt edited in Langfuse with a typo shows up in the trace instead of
/// silently sending braces to the model.
/// </summary>
public static partial class PromptCompiler
{
    public static CompiledText Compile(string template, IReadOnlyDictionary<string, string> variables)
    {
        var missing = new SortedSet<string>(StringComparer.Ordinal);
        var text = Placeholder().Replace(template, match =>
        {
            var name = match.Groups[1].Value;
            if (variables.TryGetValue(name, out var value))
            {
                return value;
            }

            missing.Add(name);
            return match.Value;
        });
        return new CompiledText(text, [.. missing]);
    }

    [GeneratedRegex(@"\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}

/// <summary>A compiled template and the variables it named that had no value.</summary>
public sealed record CompiledText(string Text, IReadOnlyList<string> MissingVariables);
