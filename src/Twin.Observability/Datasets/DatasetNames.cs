namespace Twin.Observability.Datasets;

/// <summary>
/// Which dataset names the export routes accept. A name becomes a folder of blob paths, so path characters, dot
/// segments and control characters are refused rather than escaped.
/// </summary>
public static class DatasetNames
{
    public const int MaxLength = 200;

    /// <summary>What is wrong with <paramref name="name"/>, or null when it is acceptable.</summary>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxLength)
        {
            return $"is required, at most {MaxLength} characters.";
        }

        if (name is "." or ".." || name.Any(c => c is '/' or '\\' or '?' or '#' || char.IsControl(c)))
        {
            return "must not hold path characters (/ \\ ? #), control characters, or be '.' or '..'.";
        }

        return name.Trim() != name ? "must not start or end with white space." : null;
    }
}
