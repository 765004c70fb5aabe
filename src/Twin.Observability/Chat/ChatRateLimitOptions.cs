using System.ComponentModel.DataAnnotations;

namespace Twin.Observability.Chat;

/// <summary>
/// <c>Chat:RateLimits</c>: messages per minute, per instance, for each key a chat is limited by. Anonymous callers
/// choose their visitor id, so the address and twin limits are the ones they cannot reset.
/// </summary>
public sealed class ChatRateLimitOptions
{
    public const string SectionName = "Chat:RateLimits";

    /// <summary>Anonymous chats (widget and share links) from one client address (IPv6: one /64).</summary>
    [Range(1, 10_000_000)]
    public int ClientAddressPerMinute { get; set; } = 30;

    /// <summary>Widget chats of one visitor id on one twin.</summary>
    [Range(1, 10_000_000)]
    public int VisitorPerMinute { get; set; } = 20;

    /// <summary>Chats through one share link.</summary>
    [Range(1, 10_000_000)]
    public int ShareLinkPerMinute { get; set; } = 60;

    /// <summary>Anonymous chats (widget and share links) with one twin, from everyone together: the ceiling of its LLM spend.</summary>
    [Range(1, 10_000_000)]
    public int TwinPerMinute { get; set; } = 600;

    /// <summary>Chats of one signed-in user.</summary>
    [Range(1, 10_000_000)]
    public int UserPerMinute { get; set; } = 60;

    /// <summary>Refused credentials (unknown, expired or revoked share tokens; invalid keys or bearer tokens) from one client address.</summary>
    [Range(1, 10_000_000)]
    public int FailedCredentialsPerMinute { get; set; } = 10;
}
