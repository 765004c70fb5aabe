namespace Twin.Observability.Datasets.Export;

/// <summary>Where exported files go: Blob Storage in the app, a discarding sink in the serialisation benchmark.</summary>
public interface IExportFileTarget
{
    /// <summary>A write stream for the file at <paramref name="path"/>; disposing it commits the file.</summary>
    Task<Stream> OpenAsync(string path, string contentType, CancellationToken cancellationToken);

    /// <summary>Removes a file an export failed to finish, so no partial file is ever offered.</summary>
    Task DeleteAsync(string path, CancellationToken cancellationToken);
}
