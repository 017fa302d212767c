using MarketPulse.Ingestion.Text.Live;

namespace MarketPulse.Ingestion.Tests.Text.Live;

/// <summary>A live text source running in the background of a test, and the way to stop it.</summary>
internal sealed record RunningSource<TSource>(TSource Source, Task Run, CancellationTokenSource Stop) where TSource : TextSource
{
    public static RunningSource<TSource> Start(TSource source)
    {
        var stop = new CancellationTokenSource();
        return new RunningSource<TSource>(source, source.RunAsync(stop.Token), stop);
    }

    /// <summary>Cancels the source and waits for its loop to end (it must end promptly: a hung loop fails the test).</summary>
    public async Task StopAsync()
    {
        Stop.Cancel();
        await Run.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
