namespace MarketPulse.Testing;

/// <summary>Whether the tests run in CI: there a missing data set or server fails the test instead of skipping it.</summary>
public static class TestEnvironment
{
    /// <summary>True when the <c>CI</c> environment variable is set (to anything); <c>.ci/run</c> sets it.</summary>
    public static bool IsCi => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));

    /// <summary>
    /// The skip reason for a test that needs something: <paramref name="reason"/> when it is not
    /// <paramref name="available"/> and <c>CI</c> is unset; null (the test runs, and fails on what is missing) when it
    /// is available or in CI.
    /// </summary>
    public static string? SkipUnless(bool available, string reason) => available || IsCi ? null : reason;
}
