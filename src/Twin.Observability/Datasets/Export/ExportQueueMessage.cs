namespace Twin.Observability.Datasets.Export;

/// <summary>The <c>exports</c> queue message: the export to run, whose plan is in its job row.</summary>
public sealed record ExportQueueMessage
{
    public required string ExportId { get; init; }
}
