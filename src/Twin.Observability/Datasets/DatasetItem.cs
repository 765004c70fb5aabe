using System.Text.Json.Nodes;

namespace Twin.Observability.Datasets;

/// <summary>
/// One item of a dataset: the input a twin was given, the output it is expected to give, and where it came from.
/// <see cref="Id"/> is derived from the source chat (trace and root observation), so collecting the same chat twice
/// updates one item and two chats of one caller's trace stay two items.
/// </summary>
public sealed record DatasetItem(
    string Id,
    string DatasetName,
    JsonObject Input,
    JsonObject ExpectedOutput,
    JsonObject Metadata,
    string? SourceTraceId,
    string? SourceObservationId = null);
