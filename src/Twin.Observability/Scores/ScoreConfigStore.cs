using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Twin.Observability.Storage;

namespace Twin.Observability.Scores;

/// <summary>The <c>ScoreConfigs</c> table: a row per user-defined config (partition <c>config</c>, row = name), changed with its ETag.</summary>
public sealed class ScoreConfigStore(TableServiceClient tables)
{
    private const string Partition = "config";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly TableStore<TableEntity> _table = new(tables.GetTableClient(StorageNames.Tables.ScoreConfigs));

    public async Task<IReadOnlyList<ScoreConfig>> ListAsync(CancellationToken cancellationToken)
    {
        var configs = new List<ScoreConfig>();
        await foreach (var entity in _table.QueryAllAsync($"PartitionKey eq {Partition}", cancellationToken).ConfigureAwait(false))
        {
            configs.Add(ConfigOf(entity));
        }

        return configs;
    }

    public async Task<ScoreConfig?> FindAsync(string name, CancellationToken cancellationToken) =>
        TableKeys.IsValid(name) && await _table.FindAsync(Partition, name, cancellationToken).ConfigureAwait(false) is { } entity ? ConfigOf(entity) : null;

    /// <summary>Adds the config; a <c>ResourceConflictException</c> when one of that name exists.</summary>
    public async Task<ScoreConfig> AddAsync(ScoreConfig config, CancellationToken cancellationToken) =>
        ConfigOf(await _table.AddAsync(Entity(config), cancellationToken).ConfigureAwait(false));

    public async Task<ScoreConfig> ReplaceAsync(ScoreConfig config, ETag ifMatch, CancellationToken cancellationToken) =>
        ConfigOf(await _table.ReplaceAsync(Entity(config), ifMatch, cancellationToken).ConfigureAwait(false));

    public Task<bool> DeleteAsync(string name, ETag ifMatch, CancellationToken cancellationToken) => _table.DeleteAsync(Partition, name, ifMatch, cancellationToken);

    private static TableEntity Entity(ScoreConfig config) => new(Partition, config.Name)
    {
        ["DataType"] = config.DataType,
        ["Min"] = config.Min,
        ["Max"] = config.Max,
        ["Categories"] = config.Categories is null ? null : JsonSerializer.Serialize(config.Categories, Json),
        ["Description"] = config.Description,
        ["LangfuseId"] = config.LangfuseId,
        ["CreatedAt"] = config.CreatedAt,
        ["UpdatedAt"] = config.UpdatedAt,
    };

    private static ScoreConfig ConfigOf(TableEntity e) => new()
    {
        Name = e.RowKey,
        DataType = e.GetString("DataType") ?? ScoreDataTypes.Numeric,
        Min = e.GetDouble("Min"),
        Max = e.GetDouble("Max"),
        Categories = e.GetString("Categories") is { } categories ? JsonSerializer.Deserialize<List<ScoreCategory>>(categories, Json) : null,
        Description = e.GetString("Description"),
        LangfuseId = e.GetString("LangfuseId"),
        CreatedAt = e.GetDateTimeOffset("CreatedAt"),
        UpdatedAt = e.GetDateTimeOffset("UpdatedAt"),
        ETag = e.ETag.ToString(),
    };
}
