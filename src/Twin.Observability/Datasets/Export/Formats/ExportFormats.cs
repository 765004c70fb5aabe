namespace Twin.Observability.Datasets.Export.Formats;

// TEMPORARY stub until the formats branch merges.
public static class ExportFormats
{
    public static IReadOnlyList<IExportFormat> All { get; } = [];

    public static IExportFormat? Find(string name) => All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
}
