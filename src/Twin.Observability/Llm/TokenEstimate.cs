namespace Twin.Observability.Llm;

/// <summary>
/// A token count estimate (about four characters a token, the usual rule of thumb for English) for where no tokenizer
/// ran: the offline responder and size guards. Real models report their own counts.
/// </summary>
public static class TokenEstimate
{
    public static long Of(int characters) => characters <= 0 ? 0 : (characters + 3) / 4;
}
