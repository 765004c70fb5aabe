namespace Twin.Observability.Datasets.Export.Formats;

/// <summary>A spreadsheet of the examples with their scores and sources, for review or a custom pipeline.</summary>
internal sealed class CsvFormat : IExportFormat
{
    public string Name => "csv";

    public string Extension => "csv";

    public string ContentType => "text/csv";

    public string Description => "CSV for review in a spreadsheet or a custom training pipeline: one row an example, with its history, scores and sources.";

    public IReadOnlyList<string> Requirements => ExportRules.AnyTurns;

    public bool NeedsPairs => false;

    public int MinimumExamples => 1;

    public string? Check(ExportExample example) => ExportRules.Check(example);

    public IExportWriter CreateWriter(Stream destination) => new CsvExampleWriter(destination);
}
