namespace Twin.Observability.Twins.Sharing;

/// <summary>A newly issued share token and the public link that carries it.</summary>
public sealed record IssuedShareLink(IssuedShareToken Token, string Url);
