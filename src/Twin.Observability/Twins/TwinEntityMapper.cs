using System.Text.Json;
using Azure.Data.Tables;
using Twin.Observability.Storage;

namespace Twin.Observability.Twins;

/// <summary>Maps a twin to its row in the <c>Twins</c> table and back. All twins share one partition: they are few and read by id.</summary>
internal static class TwinEntityMapper
{
    public const string Partition = "twin";

    public static TableEntity ToEntity(TwinDefinition twin, DateTimeOffset createdAt, DateTimeOffset updatedAt)
    {
        var entity = new TableEntity(Partition, twin.Id)
        {
            ["Name"] = twin.Name,
            ["Persona"] = twin.Persona,
            ["Model"] = twin.Model,
            ["Temperature"] = twin.Temperature,
            ["AllowedOrigins"] = JsonSerializer.Serialize(twin.AllowedOrigins ?? []),
            ["PersonaRules"] = JsonSerializer.Serialize(twin.PersonaRules ?? PersonaRules.Default, Json),
            ["CreatedAt"] = createdAt,
            ["UpdatedAt"] = updatedAt,
        };
        ChunkedStringProperty.Write(entity, "Knowledge", JsonSerializer.Serialize(twin.Knowledge ?? []));
        return entity;
    }

    public static TwinProfile ToProfile(TableEntity entity) => new(
        entity.RowKey,
        entity.GetString("Name") ?? "",
        entity.GetString("Persona") ?? "",
        JsonList(ChunkedStringProperty.Read(entity, "Knowledge")),
        entity.GetString("Model"),
        entity.GetDouble("Temperature"),
        JsonList(entity.GetString("AllowedOrigins")),
        entity.GetDateTimeOffset("CreatedAt") ?? entity.Timestamp ?? DateTimeOffset.MinValue,
        entity.GetDateTimeOffset("UpdatedAt") ?? entity.Timestamp ?? DateTimeOffset.MinValue,
        entity.ETag.ToString())
    {
        PersonaRules = entity.GetString("PersonaRules") is { Length: > 0 } rules
            ? JsonSerializer.Deserialize<PersonaRules>(rules, Json) ?? PersonaRules.Default
            : PersonaRules.Default,
    };

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static List<string> JsonList(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<string>>(json) ?? [];
}
