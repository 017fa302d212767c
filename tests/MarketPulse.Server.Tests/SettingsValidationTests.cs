using MarketPulse.Grains.Alerts;
using MarketPulse.Grains.Hosting;
using MarketPulse.Grains.Sentiment;
using MarketPulse.Ingestion.Live;
using MarketPulse.Ingestion.Text.Live;
using MarketPulse.Ingestion.Validation;
using MarketPulse.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MarketPulse.Server.Tests;

/// <summary>
/// The configuration contract: a bad setting stops the service when it starts, with the key an operator sets named in
/// the message (before any port is opened or replay begins), and the documented defaults hold when nothing is set.
/// </summary>
public sealed class SettingsValidationTests
{
    private static WebApplication Build(params string[] settings) => ServerApp.Build(
    [
        "--urls", "http://127.0.0.1:0",
        $"--MarketPulse:Orleans:SiloPort={ServerFixture.FreePort()}",
        $"--MarketPulse:Orleans:GatewayPort={ServerFixture.FreePort()}",
        "--MarketPulse:Local:Persist=false",
        "--MarketPulse:Replay:Enabled=false",
        "--Logging:LogLevel:Default=Warning",
        .. settings,
    ]);

    /// <summary>What stopped the service: settings that shape the host fail its build, the others its start.</summary>
    private static async Task<Exception> StartFails(params string[] settings)
    {
        WebApplication app;
        try
        {
            app = Build(settings);
        }
        catch (Exception ex)
        {
            return ex;
        }
        await using (app)
        {
            return await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());
        }
    }

    [Theory]
    [InlineData("MarketPulse:Replay:Speed", "-1")]
    [InlineData("MarketPulse:Replay:WarmUpDays", "-2")]
    [InlineData("MarketPulse:Api:MaxBatchItems", "0")]
    [InlineData("MarketPulse:Api:RequestsPerMinutePerIp", "-5")]
    [InlineData("MarketPulse:Streams:PollInterval", "-00:00:01")]
    [InlineData("MarketPulse:Streams:EventHubs:Hub", " ")]
    [InlineData("MarketPulse:Orleans:PrimarySiloPort", "70000")]
    [InlineData("MarketPulse:Sentiment:HalfLifeHours", "-24")]
    [InlineData("MarketPulse:Sentiment:RefineThreads", "0")]
    [InlineData("MarketPulse:Text:MaxLength", "0")]
    [InlineData("MarketPulse:Text:Rss:PollSeconds", "-60")]
    [InlineData("MarketPulse:Live:Coinbase:StaleAfterSeconds", "-1")]
    [InlineData("MarketPulse:Validation:SpikeConfirmations", "0")]
    [InlineData("MarketPulse:Alerts:WebhookAttemptTimeout", "00:00:00")]
    [InlineData("MarketPulse:Models:Path", " ")]
    public async Task An_out_of_range_setting_stops_the_host_at_start_naming_its_key(string key, string value)
    {
        var ex = Assert.IsType<OptionsValidationException>(await StartFails($"--{key}={value}"));
        Assert.Contains(key, ex.Message);
        Assert.Contains($"'{value}'", ex.Message);
    }

    [Fact]
    public async Task An_enabled_live_feed_without_an_address_stops_the_host_naming_the_url_key()
    {
        var ex = Assert.IsType<OptionsValidationException>(await StartFails("--MarketPulse:Live:Alpaca:Enabled=true", "--MarketPulse:Live:Alpaca:Url="));
        Assert.Contains("MarketPulse:Live:Alpaca:Url", ex.Message);
    }

    [Fact]
    public async Task Every_bad_setting_of_a_section_is_reported_at_once()
    {
        var ex = Assert.IsType<OptionsValidationException>(await StartFails("--MarketPulse:Replay:Speed=0", "--MarketPulse:Api:MaxConnectionsPerPrincipal=0"));
        Assert.Contains("MarketPulse:Replay:Speed", ex.Message);
        Assert.Contains("MarketPulse:Api:MaxConnectionsPerPrincipal", ex.Message);
    }

    [Theory]
    [InlineData("MarketPulse:Streams:Provider", "Kafka")]
    [InlineData("MarketPulse:Profile", "Cloud")]
    [InlineData("MarketPulse:Role", "worker")]
    public void An_unknown_name_fails_the_build_naming_its_key(string key, string value)
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Build($"--{key}={value}"));
        Assert.Contains(key, ex.Message);
        Assert.Contains(value, ex.Message);
    }

    [Fact]
    public async Task An_unknown_lexicon_mode_stops_the_host_naming_its_key()
    {
        var ex = Assert.IsType<InvalidOperationException>(await StartFails("--MarketPulse:Sentiment:LoughranMcDonaldMode=Everything"));
        Assert.Contains("MarketPulse:Sentiment:LoughranMcDonaldMode", ex.Message);
    }

    [Fact]
    public async Task The_documented_defaults_apply_when_nothing_is_set()
    {
        // Only what Build needs to run beside other tests (ports, no replay, in memory) is set.
        await using var app = Build();
        var services = app.Services;
        var o = services.GetRequiredService<IOptions<MarketPulseOptions>>().Value;
        Assert.Equal(DeploymentProfile.Local, o.Profile);
        Assert.Equal(ServerRole.All, o.Role);
        Assert.Equal(StreamsProvider.AzureQueue, o.Streams.Provider);
        Assert.Equal("stocknet", o.Replay.Name);
        Assert.Equal("data/sample/stocknet", o.Replay.Path);
        Assert.Equal(43_200, o.Replay.Speed);
        Assert.Equal(45, o.Replay.WarmUpDays);
        Assert.True(o.Replay.Loop);
        Assert.Empty(o.Api.Keys);
        Assert.False(o.Api.RequireKeyForReads);
        Assert.Equal(600, o.Api.IngestRequestsPerMinute);
        Assert.Equal(3000, o.Api.RequestsPerMinutePerPrincipal);
        Assert.Equal(6000, o.Api.RequestsPerMinutePerIp);
        Assert.Equal(10_000, o.Api.MaxBatchItems);
        Assert.Empty(o.Api.CorsOrigins);
        Assert.Equal("data/local", o.Local.DataPath);
        Assert.Equal("marketpulse", o.Streams.EventHubs.Hub);
        Assert.Equal("$Default", o.Streams.EventHubs.ConsumerGroup);

        var alerts = services.GetRequiredService<IOptions<AlertOptions>>().Value;
        Assert.False(alerts.AllowPrivateTargets);
        Assert.False(alerts.AllowHttpTargets);
        var sentiment = services.GetRequiredService<IOptions<SentimentOptions>>().Value;
        Assert.Equal(24, sentiment.HalfLifeHours);
        Assert.Equal(5, sentiment.WindowDays);
        Assert.True(sentiment.TransformerEnabled);
        Assert.Equal(4096, sentiment.RefineQueueCapacity);
        Assert.Equal(32, sentiment.RefineBatchSize);
        Assert.Equal("float32", sentiment.Precision);
        var text = services.GetRequiredService<IOptions<TextOptions>>().Value;
        Assert.Equal(1000, text.MaxLength);
        Assert.Equal(5, text.MaxCashtags);
        Assert.Equal(Path.Combine("data", "sample", "stocknet", "StockTable"), text.EffectiveStockTable);
        var sources = services.GetRequiredService<IOptions<TextSourcesOptions>>().Value;
        Assert.False(sources.Rss.Enabled || sources.Reddit.Enabled || sources.X.Enabled);
        var live = services.GetRequiredService<IOptions<LiveFeedsOptions>>().Value;
        Assert.False(live.Alpaca.Enabled || live.Coinbase.Enabled);
        Assert.Equal(100, services.GetRequiredService<IOptions<MarketValidationOptions>>().Value.SpikeWindow);
        Assert.Equal("models", services.GetRequiredService<IOptions<ModelOptions>>().Value.Path);
    }

    [Theory]
    [InlineData("all")]
    [InlineData("gateway")]
    public async Task Every_role_locates_the_models_in_the_configured_folder(string role)
    {
        var models = Path.Combine(Path.GetTempPath(), "mp-models-" + Guid.NewGuid().ToString("N"));
        await using var app = Build($"--MarketPulse:Role={role}", $"--MarketPulse:Models:Path={models}");
        Assert.Equal([models], app.Services.GetRequiredService<MarketPulse.Ml.ModelLocator>().Candidates);
    }

    [Theory]
    [InlineData(false, null, false)]    // in memory: nothing survives a crash, so no write per batch
    [InlineData(true, null, true)]      // the embedded store: state outlives the process, so tickers write through
    [InlineData(true, "false", false)]  // …unless the operator says otherwise
    [InlineData(false, "true", true)]
    public void Tickers_write_through_where_state_outlives_the_process_unless_configured(bool persist, string? writeThrough, bool expected)
    {
        var data = Path.Combine(Path.GetTempPath(), "mp-settings-" + Guid.NewGuid().ToString("N"));
        List<string> settings = [$"--MarketPulse:Local:Persist={persist}", $"--MarketPulse:Local:DataPath={data}"];
        if (writeThrough is not null) settings.Add($"--MarketPulse:Persistence:WriteThrough={writeThrough}");
        var app = Build([.. settings]);
        try
        {
            Assert.Equal(expected, app.Services.GetRequiredService<IOptions<PersistenceOptions>>().Value.WriteThrough);
        }
        finally
        {
            ((IDisposable)app).Dispose();
            if (Directory.Exists(data)) Directory.Delete(data, recursive: true);
        }
    }
}
