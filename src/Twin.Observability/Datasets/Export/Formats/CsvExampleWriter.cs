using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using CsvHelper;

namespace Twin.Observability.Datasets.Export.Formats;

/// <summary>
/// Writes the CSV rows of one file. History and scores are JSON text in their cells, so that a row keeps the whole
/// example without a column per turn. Disposing is optional: <see cref="CompleteAsync"/> already returns the buffers.
/// </summary>
internal sealed class CsvExampleWriter : IExportWriter, IDisposable
{
    private static readonly string[] Header =
    [
        "id", "system", "user", "assistant", "history", "scores", "source_trace_id", "source_observation_id", "twin_id",
        "prompt_name", "prompt_version", "model",
    ];

    /// <summary>Spreadsheets and pandas read UTF-8 without a byte order mark; RFC 4180 quoting keeps commas and newlines in a cell.</summary>
    private static readonly CsvWriterOptions Options = CsvWriterOptions.Default with { WriteByteOrderMark = false };

    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly CsvWriter _csv;
    private readonly ArrayBufferWriter<byte> _cell = new(4096);
    private readonly Utf8JsonWriter _json;
    private bool _started;

    public CsvExampleWriter(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        _csv = CsvWriter.Create(destination, Options, leaveOpen: true);
        _json = new Utf8JsonWriter(_cell, JsonOptions);
    }

    public async ValueTask WriteAsync(ExportExample example, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(example);
        cancellationToken.ThrowIfCancellationRequested();
        await StartAsync(cancellationToken).ConfigureAwait(false);
        _csv.WriteField(example.Id);
        _csv.WriteField(example.System);
        _csv.WriteField(example.User);
        _csv.WriteField(example.Assistant);
        _csv.WriteField(JsonCell(WriteHistory, example));
        _csv.WriteField(JsonCell(WriteScores, example));
        _csv.WriteField(example.SourceTraceId);
        _csv.WriteField(example.SourceObservationId);
        _csv.WriteField(example.TwinId);
        _csv.WriteField(example.PromptName);
        _csv.WriteField(example.PromptVersion?.ToString(CultureInfo.InvariantCulture));
        _csv.WriteField(example.Model);
        await _csv.EndRecordAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken).ConfigureAwait(false);
        await _csv.FlushAsync(cancellationToken).ConfigureAwait(false);

        // Returns the writer's buffer; the stream stays open (leaveOpen) for the caller.
        await _csv.DisposeAsync().ConfigureAwait(false);
    }

    public void Dispose()
    {
        _json.Dispose();
        _csv.Dispose();
    }

    private async ValueTask StartAsync(CancellationToken cancellationToken)
    {
        if (_started)
        {
            return;
        }

        _started = true;
        await _csv.WriteRecordAsync(Header, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The example's part written as JSON into the reused cell buffer; valid until the next call.</summary>
    private ReadOnlySpan<byte> JsonCell(Action<Utf8JsonWriter, ExportExample> write, ExportExample example)
    {
        _cell.ResetWrittenCount();
        _json.Reset();
        write(_json, example);
        _json.Flush();
        return _cell.WrittenSpan;
    }

    private static void WriteHistory(Utf8JsonWriter json, ExportExample example)
    {
        json.WriteStartArray();
        foreach (var message in example.History)
        {
            json.WriteStartObject();
            json.WriteString(ChatJson.Role, message.Role);
            json.WriteString(ChatJson.Content, message.Content);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteScores(Utf8JsonWriter json, ExportExample example)
    {
        json.WriteStartObject();
        foreach (var (name, score) in example.Scores)
        {
            json.WriteNumber(name, score);
        }

        json.WriteEndObject();
    }
}
