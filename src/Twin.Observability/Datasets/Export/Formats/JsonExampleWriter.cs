using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Twin.Observability.Datasets.Export.Formats;

/// <summary>
/// Writes the JSON objects of one file through one reused buffer and <see cref="Utf8JsonWriter"/>, reset per example,
/// so that a file of any size costs the memory of a few examples. Disposing is optional: it holds no unmanaged resource.
/// </summary>
internal sealed class JsonExampleWriter : IExportWriter, IDisposable
{
    /// <summary>Examples gather up to this many bytes before one write: a write per ~1 KB line would cost the stream more than the JSON.</summary>
    private const int FlushAt = 64 * 1024;

    /// <summary>Trainers read UTF-8, and people read the files: "Grüße" stays as it is rather than <c>\u00FC</c>.</summary>
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Stream _destination;
    private readonly JsonFraming _framing;
    private readonly Action<Utf8JsonWriter, ExportExample> _write;
    private readonly ArrayBufferWriter<byte> _buffer = new(FlushAt + 16 * 1024);
    private readonly Utf8JsonWriter _json;
    private bool _started;

    public JsonExampleWriter(Stream destination, JsonFraming framing, Action<Utf8JsonWriter, ExportExample> write)
    {
        ArgumentNullException.ThrowIfNull(destination);
        _destination = destination;
        _framing = framing;
        _write = write;
        _json = new Utf8JsonWriter(_buffer, Options);
    }

    public ValueTask WriteAsync(ExportExample example, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(example);
        cancellationToken.ThrowIfCancellationRequested();
        _buffer.Write(_started ? _framing.Between.Span : _framing.Start.Span);
        _started = true;
        _json.Reset();
        _write(_json, example);
        _json.Flush();
        _buffer.Write(_framing.After.Span);
        return _buffer.WrittenCount < FlushAt ? ValueTask.CompletedTask : WriteBufferAsync(cancellationToken);
    }

    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        if (!_started)
        {
            _buffer.Write(_framing.Start.Span);
            _started = true;
        }

        _buffer.Write(_framing.End.Span);
        await WriteBufferAsync(cancellationToken).ConfigureAwait(false);
        await _destination.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _json.Dispose();

    private async ValueTask WriteBufferAsync(CancellationToken cancellationToken)
    {
        await _destination.WriteAsync(_buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        _buffer.ResetWrittenCount();
    }
}
