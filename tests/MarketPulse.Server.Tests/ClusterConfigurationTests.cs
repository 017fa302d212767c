using MarketPulse.Server.Hosting;

namespace MarketPulse.Server.Tests;

/// <summary>The Cluster profile's configuration contract, checked without any server running.</summary>
public class ClusterConfigurationTests
{
    [Theory]
    [InlineData("silo", "ConnectionStrings:redis")]
    [InlineData("gateway", "ConnectionStrings:redis")]
    public void A_cluster_role_without_its_connection_strings_fails_at_start_naming_the_missing_one(string role, string missing)
    {
        var ex = Assert.Throws<InvalidOperationException>(() =>
            ServerApp.Build(["--MarketPulse:Profile=Cluster", $"--MarketPulse:Role={role}", "--urls", "http://127.0.0.1:0"]));
        Assert.Contains(missing, ex.Message);
        Assert.Contains("ConnectionStrings__", ex.Message);
    }

    [Fact]
    public void A_silo_with_redis_but_no_queue_storage_names_the_queues_connection()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => ServerApp.Build(
            ["--MarketPulse:Profile=Cluster", "--MarketPulse:Role=silo", "--ConnectionStrings:redis=127.0.0.1:1", "--urls", "http://127.0.0.1:0"]));
        Assert.Contains("ConnectionStrings:queues", ex.Message);
    }

    [Fact]
    public void Queue_storage_is_reached_by_connection_string_or_by_endpoint_with_the_managed_identity()
    {
        const string azurite = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;";
        var byKey = ClusterProviders.QueueClient(azurite);
        Assert.Equal("devstoreaccount1", byKey.AccountName);
        Assert.True(byKey.CanGenerateAccountSasUri, "a key-based client can sign");

        var byIdentity = ClusterProviders.QueueClient("https://mpdevqabc123.queue.core.windows.net/");
        Assert.Equal("mpdevqabc123", byIdentity.AccountName);
        Assert.False(byIdentity.CanGenerateAccountSasUri, "an identity-based client holds no key");
    }
}
