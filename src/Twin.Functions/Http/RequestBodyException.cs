namespace Twin.Functions.Http;

/// <summary>The request body could not be accepted as it is (too large, wrong media type); carries the status to answer.</summary>
public sealed class RequestBodyException(int status, string title, string detail) : Exception(detail)
{
    public int Status { get; } = status;

    public string Title { get; } = title;
}
