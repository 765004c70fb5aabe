namespace Twin.Observability.Chat;

/// <summary>
/// Who is chatting, as established by the endpoint: the signed-in user's id, the widget visitor's id, or the share
/// token's id. It scopes conversation history, so one caller can never read another's conversation by guessing its id.
/// </summary>
public sealed record ChatCaller(ChatChannel Channel, string UserId);
