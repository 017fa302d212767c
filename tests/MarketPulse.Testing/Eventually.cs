namespace MarketPulse.Testing;

/// <summary>
/// Polls until a condition holds, for what happens asynchronously (a grain applying a stream batch, a server
/// answering). <see cref="Value"/> returns the value that satisfied it, or on timeout throws a
/// <see cref="TimeoutException"/> naming what was awaited and the last value seen; <see cref="Last"/> returns the last
/// value read either way, for a test whose own assertions say what went wrong.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Reads until <paramref name="done"/> holds for the value read; returns that value.</summary>
    public static async Task<T> Value<T>(Func<Task<T>> read, Func<T, bool> done, string what,
        TimeSpan? timeout = null, TimeSpan? interval = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"timed out after {(timeout ?? DefaultTimeout).TotalSeconds:0.#} s waiting for {what}; last value: {Describe(value)}");
            await Task.Delay(interval ?? DefaultInterval);
        }
    }

    /// <summary>Reads until <paramref name="done"/> holds or the time is up; returns the last value read.</summary>
    public static async Task<T> Last<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? timeout = null, TimeSpan? interval = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline) return value;
            await Task.Delay(interval ?? DefaultInterval);
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds.</summary>
    public static Task True(Func<bool> condition, string what, TimeSpan? timeout = null, TimeSpan? interval = null) =>
        Value(() => Task.FromResult(condition()), ok => ok, what, timeout, interval);

    /// <summary>Waits until the asynchronous <paramref name="condition"/> holds.</summary>
    public static Task True(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, TimeSpan? interval = null) =>
        Value(condition, ok => ok, what, timeout, interval);

    private static string Describe<T>(T value) => value switch
    {
        null => "null",
        System.Collections.IEnumerable items and not string => $"[{string.Join(", ", items.Cast<object?>().Take(20))}]",
        _ => value.ToString() ?? "",
    };
}
