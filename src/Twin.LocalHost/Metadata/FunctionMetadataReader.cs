using System.Text.Json;

namespace Twin.LocalHost.Metadata;

/// <summary>Reads <c>functions.metadata</c>, the file the Worker SDK writes at build and the Functions host indexes.</summary>
public static class FunctionMetadataReader
{
    public const string FileName = "functions.metadata";

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static IReadOnlyList<FunctionMetadata> Read(string appDirectory)
    {
        var path = Path.Combine(appDirectory, FileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No {FileName} in {appDirectory}: build the Functions project first (the Worker SDK writes it at build).", path);
        }

        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<List<FunctionMetadata>>(stream, Options)
            ?? throw new InvalidDataException($"{path} is empty.");
    }
}
