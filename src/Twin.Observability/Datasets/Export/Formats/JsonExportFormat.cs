using System.Text.Json;

namespace Twin.Observability.Datasets.Export.Formats;

/// <summary>A format whose file is JSON objects, one an example: JSON Lines unless <see cref="Framing"/> says otherwise.</summary>
internal abstract class JsonExportFormat : IExportFormat
{
    public abstract string Name { get; }

    public virtual string Extension => "jsonl";

    public virtual string ContentType => "application/jsonl";

    public abstract string Description { get; }

    public virtual IReadOnlyList<string> Requirements => ExportRules.AnyTurns;

    public virtual bool NeedsPairs => false;

    public virtual int MinimumExamples => 1;

    protected virtual JsonFraming Framing => JsonFraming.Lines;

    public virtual string? Check(ExportExample example) => ExportRules.Check(example);

    public IExportWriter CreateWriter(Stream destination) => new JsonExampleWriter(destination, Framing, Write);

    /// <summary>Writes the example as one JSON object; the writer puts the framing around it.</summary>
    protected abstract void Write(Utf8JsonWriter json, ExportExample example);
}
