namespace Twin.Observability.Llm;

/// <summary>
/// Which priced model name a model answers to: exactly (ignoring case), else the longest priced name it starts with
/// when what follows is a date or version only (<c>-2024-07-18</c>, <c>-0613</c>, <c>@001</c>). Providers answer with
/// dated names; <c>gpt-4</c> never prices <c>gpt-4o</c>, nor <c>gpt-4o</c> a <c>gpt-4o-mini-2024-07-18</c>.
/// </summary>
public static class ModelNames
{
    public static string? Resolve(string? model, IEnumerable<string> priced)
    {
        ArgumentNullException.ThrowIfNull(priced);
        if (string.IsNullOrEmpty(model))
        {
            return null;
        }

        string? best = null;
        foreach (var name in priced)
        {
            if (name.Equals(model, StringComparison.OrdinalIgnoreCase))
            {
                return name;
            }

            if (name.Length < model.Length
                && model.StartsWith(name, StringComparison.OrdinalIgnoreCase)
                && IsDateOrVersion(model.AsSpan(name.Length))
                && (best is null || name.Length > best.Length))
            {
                best = name;
            }
        }

        return best;
    }

    // A separator, then only digits and separators, with at least one digit.
    private static bool IsDateOrVersion(ReadOnlySpan<char> suffix) =>
        suffix.Length > 1
        && IsSeparator(suffix[0])
        && suffix.ContainsAnyInRange('0', '9')
        && !suffix.ContainsAnyExcept(VersionCharacters);

    private static bool IsSeparator(char c) => c is '-' or '.' or '_' or ':' or '@';

    private static readonly System.Buffers.SearchValues<char> VersionCharacters = System.Buffers.SearchValues.Create("0123456789-._:@");
}
