namespace Twin.Observability.Datasets;

/// <summary>
/// Dataset names as Table keys. Langfuse names may hold '/' (folders), which Table keys forbid, so names are
/// percent-encoded; the encoding is reversible and leaves ordinary names (<c>twin-demo</c>) as they are.
/// </summary>
internal static class DatasetKeys
{
    public static string Of(string datasetName) => Uri.EscapeDataString(datasetName);

    public static string NameOf(string key) => Uri.UnescapeDataString(key);
}
