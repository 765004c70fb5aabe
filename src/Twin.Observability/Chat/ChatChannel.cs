namespace Twin.Observability.Chat;

/// <summary>The three chat endpoints. Each is its own trace name and ledger endpoint.</summary>
public enum ChatChannel
{
    /// <summary><c>POST /api/chat/{twinId}</c>: a signed-in user.</summary>
    User,

    /// <summary><c>POST /api/chat-widget/{twinId}</c>: the embeddable widget on an allowed origin.</summary>
    Widget,

    /// <summary><c>POST /api/public/chat/{twinId}/{token}</c>: a share link.</summary>
    Public,
}

public static class ChatChannels
{
    /// <summary>The Langfuse trace name and ledger endpoint of a channel.</summary>
    public static string TraceName(this ChatChannel channel) => channel switch
    {
        ChatChannel.User => "chat",
        ChatChannel.Widget => "chat-widget",
        _ => "public-chat",
    };
}
