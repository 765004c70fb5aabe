using Twin.Observability.Chat;
using Twin.Observability.Common;
using Xunit;

namespace Twin.Observability.Tests.Chat;

public sealed class ChatErrorTypesTests
{
    [Theory]
    [InlineData(ChatErrorTypes.Validation, 400)]
    [InlineData(ChatErrorTypes.ContentFilter, 400)]
    [InlineData(ChatErrorTypes.Unauthorized, 401)]
    [InlineData(ChatErrorTypes.Forbidden, 403)]
    [InlineData(ChatErrorTypes.UnknownTwin, 404)]
    [InlineData(ChatErrorTypes.Conflict, 409)]
    [InlineData(ChatErrorTypes.PayloadTooLarge, 413)]
    [InlineData(ChatErrorTypes.UnsupportedMediaType, 415)]
    [InlineData(ChatErrorTypes.RateLimited, 429)]
    [InlineData(ChatErrorTypes.Cancelled, 499)]
    [InlineData(ChatErrorTypes.Internal, 500)]
    [InlineData(ChatErrorTypes.LlmError, 502)]
    [InlineData(ChatErrorTypes.Storage, 503)]
    [InlineData(ChatErrorTypes.LlmTimeout, 504)]
    public void Each_error_type_answers_its_status(string type, int status) => Assert.Equal(status, ChatErrorTypes.StatusOf(type));

    [Fact]
    public void Exceptions_map_to_their_error_type()
    {
        Assert.Equal("rate_limited", ChatErrorTypes.Of(new ChatFailedException(ChatErrorTypes.RateLimited, "x")));
        Assert.Equal("storage", ChatErrorTypes.Of(new StorageUnavailableException("x", new InvalidOperationException())));
        Assert.Equal("validation", ChatErrorTypes.Of(new RequestValidationException("f", "x")));
        Assert.Equal("conflict", ChatErrorTypes.Of(new ResourceConflictException("x")));
        Assert.Equal("conflict", ChatErrorTypes.Of(new PreconditionFailedException("x")));
        Assert.Equal("internal", ChatErrorTypes.Of(new NullReferenceException()));
    }
}
