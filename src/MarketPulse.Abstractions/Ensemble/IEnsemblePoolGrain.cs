namespace MarketPulse.Abstractions.Ensemble;

/// <summary>
/// The market-wide ensemble model (one per pool, key <c>"market"</c>): every ticker's ensemble grain hands it the
/// realised outcomes of its experts and reads the stacking model at each close. Outcomes of a target day are used only
/// for predictions issued at closes after that day.
/// </summary>
public interface IEnsemblePoolGrain : IGrainWithStringKey
{
    Task AddOutcomesAsync(IReadOnlyList<EnsembleOutcome> outcomes);

    /// <summary>The model for predictions issued at the close of <paramref name="basisDay"/> (fitted on outcomes of earlier target days).</summary>
    Task<EnsembleModelDto> GetModelAsync(DateOnly basisDay);

    /// <summary>The current model without committing anything.</summary>
    [ReadOnly]
    Task<EnsembleModelDto> GetCurrentAsync();

    [ReadOnly]
    Task<EnsemblePoolStateDto> GetStateAsync();
}
