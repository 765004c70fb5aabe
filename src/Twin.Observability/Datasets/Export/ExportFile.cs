using Twin.Observability.Datasets.Export.Formats;
using Twin.Observability.Storage;

namespace Twin.Observability.Datasets.Export;

/// <summary>
/// One file of an export (<c>train</c> or <c>validation</c>), opened at its first example: a split that gets no
/// example leaves no file behind, and an empty dataset writes no blob at all.
/// </summary>
internal sealed class ExportFile(string name, string path, IExportFormat format, IExportFileTarget target) : IAsyncDisposable
{
    private Stream? _stream;
    private CountingStream? _counter;
    private IExportWriter? _writer;
    private bool _completed;

    public string Name { get; } = name;

    public string Path { get; } = path;

    public long Items { get; private set; }

    public async ValueTask WriteAsync(ExportExample example, CancellationToken cancellationToken)
    {
        if (_writer is null)
        {
            _stream = await target.OpenAsync(Path, format.ContentType, cancellationToken).ConfigureAwait(false);
            _counter = new CountingStream(_stream);
            _writer = format.CreateWriter(_counter);
        }

        await _writer.WriteAsync(example, cancellationToken).ConfigureAwait(false);
        Items++;
    }

    /// <summary>Closes and commits the file; null when it was never opened.</summary>
    public async ValueTask<ExportedFile?> CompleteAsync(CancellationToken cancellationToken)
    {
        if (_writer is null)
        {
            return null;
        }

        await _writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        await _counter!.FlushAsync(cancellationToken).ConfigureAwait(false);
        await _stream!.DisposeAsync().ConfigureAwait(false);
        _completed = true;
        return new ExportedFile { Name = Name, Path = $"{StorageNames.Containers.Exports}/{Path}", Blob = Path, Items = Items, Bytes = _counter.Written, ContentType = format.ContentType };
    }

    public async ValueTask DisposeAsync()
    {
        if (_stream is null || _completed)
        {
            return;
        }

        // Disposing a blob write stream commits what was staged: the half-written file is deleted right after.
        await _stream.DisposeAsync().ConfigureAwait(false);
        await target.DeleteAsync(Path, CancellationToken.None).ConfigureAwait(false);
    }
}
