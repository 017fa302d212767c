namespace MarketPulse.Ingestion.Lean;

/// <summary>A row a LEAN reader skipped: which file, which 1-based line, and why.</summary>
public sealed record LeanRowRejection(string File, long Line, string Reason);
