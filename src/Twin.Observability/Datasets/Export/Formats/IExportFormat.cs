namespace Twin.Observability.Datasets.Export.Formats;

/// <summary>
/// A file format a fine-tuning trainer reads: how one example is checked against the trainer's rules and written.
/// Implementations are stateless singletons; <see cref="CreateWriter"/> gives the per-file state.
/// </summary>
public interface IExportFormat
{
    /// <summary>The name clients pass as <c>format</c>, such as <c>openai-chat-jsonl</c>.</summary>
    string Name { get; }

    /// <summary>The file extension without its dot: <c>jsonl</c>, <c>json</c> or <c>csv</c>.</summary>
    string Extension { get; }

    /// <summary>The blob's content type, such as <c>application/jsonl</c>.</summary>
    string ContentType { get; }

    string Description { get; }

    /// <summary>What an example needs to be written, in words, for <c>GET …/export/formats</c>.</summary>
    IReadOnlyList<string> Requirements { get; }

    /// <summary>True when each line is a preference pair: examples carry <see cref="ExportExample.Rejected"/>.</summary>
    bool NeedsPairs { get; }

    /// <summary>The fewest examples the trainer accepts; fewer is a warning, not a refusal.</summary>
    int MinimumExamples { get; }

    /// <summary>The first of the format's rules the example breaks (a short snake_case code), or null when it may be written.</summary>
    string? Check(ExportExample example);

    /// <summary>A writer of one file into <paramref name="destination"/>; the writer never closes the stream.</summary>
    IExportWriter CreateWriter(Stream destination);
}

/// <summary>Writes the examples of one file, one at a time, never holding more than one in memory.</summary>
public interface IExportWriter
{
    /// <summary>Writes an example that passed <see cref="IExportFormat.Check"/>.</summary>
    ValueTask WriteAsync(ExportExample example, CancellationToken cancellationToken);

    /// <summary>Writes what closes the file (the <c>]</c> of a JSON array) and flushes everything to the stream.</summary>
    ValueTask CompleteAsync(CancellationToken cancellationToken);
}
