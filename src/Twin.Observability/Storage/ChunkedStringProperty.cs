using Azure.Data.Tables;

namespace Twin.Observability.Storage;

/// <summary>
/// Stores a string longer than one Table property allows (64 KiB, 32K UTF-16 characters) across numbered properties
/// <c>Name</c>, <c>Name_1</c>, <c>Name_2</c>, … of one entity, and reads it back.
/// </summary>
public static class ChunkedStringProperty
{
    public const int ChunkLength = 30_000;

    public static void Write(TableEntity entity, string name, string value)
    {
        var chunks = value.Chunk(ChunkLength).Select(c => new string(c)).DefaultIfEmpty("").ToArray();
        for (var i = 0; i < chunks.Length; i++)
        {
            entity[PropertyName(name, i)] = chunks[i];
        }

        // A shorter value must not leave the tail of a longer earlier one behind on Replace of a read entity.
        for (var i = chunks.Length; entity.ContainsKey(PropertyName(name, i)); i++)
        {
            entity.Remove(PropertyName(name, i));
        }
    }

    public static string? Read(TableEntity entity, string name)
    {
        if (entity.GetString(name) is not { } first)
        {
            return null;
        }

        var builder = new System.Text.StringBuilder(first);
        for (var i = 1; entity.GetString(PropertyName(name, i)) is { } next; i++)
        {
            builder.Append(next);
        }

        return builder.ToString();
    }

    private static string PropertyName(string name, int index) =>
        index == 0 ? name : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{name}_{index}");
}
