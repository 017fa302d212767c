using Microsoft.ML.OnnxRuntime;

namespace MarketPulse.Ml.Tests;

public class RuntimeTests
{
    [Fact]
    public void OnnxRuntimeLoadsOnThisMachine() =>
        Assert.Contains("CPUExecutionProvider", OrtEnv.Instance().GetAvailableProviders());
}
