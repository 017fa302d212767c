
namespace MarketPulse.Ingestion.Tests.Lean;

internal static class LeanPaths
{
    public static string Usa(params string[] parts) => SharedData.Path(["lean", "Data", "equity", "usa", .. parts]);
}
