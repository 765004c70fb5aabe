namespace Twin.Observability.Twins;

/// <summary>
/// Size limits of a twin. They keep one twin inside one Table entity (1 MiB, strings stored as UTF-16) with room to
/// spare, and keep prompts built from it within what models accept.
/// </summary>
public static class TwinLimits
{
    public const int IdMaxLength = 63;
    public const int NameMaxLength = 200;
    public const int PersonaMaxLength = 16_000;
    public const int KnowledgeMaxItems = 500;
    public const int KnowledgeItemMaxLength = 8_000;
    public const int KnowledgeMaxTotalLength = 200_000;
    public const int ModelMaxLength = 200;
    public const double TemperatureMax = 2.0;
    public const int AllowedOriginsMaxItems = 50;
    public const int ForbiddenTopicsMaxItems = 20;
    public const int ForbiddenTopicMaxLength = 60;
    public const int VoiceMaxLength = 200;
    public const int MaxReplyWordsMax = 2_000;

    /// <summary>Largest request body the twin routes read: the knowledge limit plus room for JSON escaping.</summary>
    public const int MaxRequestBytes = 1_048_576;
}
