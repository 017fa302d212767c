using MarketPulse.Ingestion.Lean;

namespace MarketPulse.Ingestion.Tests.Lean;

/// <summary>Collects what a reader reports, so tests can assert that nothing was rejected — or exactly what was.</summary>
internal sealed class RejectionLog
{
    public List<LeanRowRejection> Items { get; } = [];
    public void Add(LeanRowRejection rejection) => Items.Add(rejection);
}
