namespace Portal.Intake.Sealing;

/// <summary>The members of a JWE protected header that the portal uses.</summary>
public sealed record JweHeader(string Alg, string Enc, string? Kid, string? Cty);
