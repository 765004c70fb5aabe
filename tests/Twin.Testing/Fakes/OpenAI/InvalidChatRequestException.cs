namespace Twin.Testing.Fakes.OpenAI;

/// <summary>Why <see cref="ChatRequestValidator"/> refused a body, in the fields of OpenAI's error object.</summary>
internal sealed class InvalidChatRequestException(string message, string? param, string? code) : Exception(message)
{
    public string? Param { get; } = param;

    public string? Code { get; } = code;
}
