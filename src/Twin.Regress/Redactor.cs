namespace Twin.Regress;

/// <summary>Writes lines with every occurrence of the key replaced: whatever the app echoes back, the key is never printed.</summary>
internal sealed class Redactor(TextWriter writer, IEnumerable<string?> secrets)
{
    private readonly string[] secrets = secrets.Where(s => !string.IsNullOrEmpty(s)).Select(s => s!).Distinct().ToArray();

    public string Redact(string text)
    {
        foreach (var secret in secrets)
        {
            text = text.Replace(secret, "***", StringComparison.Ordinal);
        }
        return text;
    }

    public void Line(string text)
    {
        writer.WriteLine(Redact(text));
        writer.Flush();
    }

    public void Write(string text)
    {
        writer.Write(Redact(text));
        writer.Flush();
    }
}
