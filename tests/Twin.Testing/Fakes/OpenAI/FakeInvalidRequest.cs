namespace Twin.Testing.Fakes.OpenAI;

/// <summary>A request <see cref="FakeOpenAI"/> refused with 400 because it breaks the chat-completions contract.</summary>
public sealed record FakeInvalidRequest(string Message, string? Param, string? Code, string RawBody)
{
    public override string ToString() => $"{Param ?? "body"}: {Message} [{Code}]";
}
