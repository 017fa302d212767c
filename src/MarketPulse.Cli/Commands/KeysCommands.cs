using System.CommandLine;
using System.Text.Json;
using MarketPulse.Abstractions.Security;
using MarketPulse.Grains.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MarketPulse.Cli.Commands;

/// <summary>
/// <c>marketpulse keys create|list|revoke</c>: manages the stored API keys of a running cluster, as an Orleans client
/// (gateway port, like <c>replay</c>). <c>create</c> prints the key once; the cluster keeps only its hash.
/// </summary>
public static class KeysCommands
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var gatewayPort = new Option<int>("--gateway-port") { DefaultValueFactory = _ => 30000, Description = "The cluster's gateway port (MarketPulse:Orleans:GatewayPort)." };
        var clusterId = new Option<string>("--cluster-id") { DefaultValueFactory = _ => "marketpulse" };
        var serviceId = new Option<string>("--service-id") { DefaultValueFactory = _ => "marketpulse" };
        var connectTimeout = new Option<double>("--connect-timeout") { DefaultValueFactory = _ => 15, Description = "Seconds to wait for the cluster's gateway." };
        Option[] connection = [gatewayPort, clusterId, serviceId, connectTimeout];

        var name = new Option<string>("--name") { Required = true, Description = "What the key is for (e.g. ingest-bot)." };
        var owner = new Option<string>("--owner") { Required = true, Description = "The principal the key acts as (owner of its alert rules)." };
        var scopes = new Option<string>("--scopes") { Required = true, Description = $"Comma-separated: {string.Join(", ", ApiScopes.All)}." };
        var expires = new Option<string?>("--expires") { Description = "Expiry: days from now (90d) or an ISO-8601 time; default never." };
        var create = new Command("create", "Create a key and print it once.");
        foreach (var o in connection.Concat([name, owner, scopes, expires])) create.Options.Add(o);
        create.SetAction(async (parse, ct) =>
        {
            var now = DateTime.UtcNow;
            (string Name, string Owner, string[] Scopes, DateTime? Expires) args;
            try
            {
                args = ApiKeyAdmin.Validate(parse.GetValue(name)!, parse.GetValue(owner)!, parse.GetValue(scopes)!, parse.GetValue(expires), now);
            }
            catch (ArgumentException ex)
            {
                throw new CliInputException(ex.Message);
            }
            return await WithClusterAsync(parse, gatewayPort, clusterId, serviceId, connectTimeout, async grains =>
            {
                var (record, key) = await ApiKeyAdmin.CreateAsync(grains, args.Name, args.Owner, args.Scopes, args.Expires, now);
                await parse.InvocationConfiguration.Error.WriteLineAsync("Store this key now: it is shown only once and cannot be recovered.");
                await parse.InvocationConfiguration.Output.WriteLineAsync(JsonSerializer.Serialize(new { key, record = ApiKeyAdmin.Describe(record, now) }, Json));
                return 0;
            }, ct);
        });

        var list = new Command("list", "List the keys (never the secrets).");
        foreach (var o in connection) list.Options.Add(o);
        list.SetAction(async (parse, ct) => await WithClusterAsync(parse, gatewayPort, clusterId, serviceId, connectTimeout, async grains =>
        {
            var now = DateTime.UtcNow;
            var keys = await grains.GetGrain<IApiKeyDirectoryGrain>(0).ListAsync();
            await parse.InvocationConfiguration.Output.WriteLineAsync(JsonSerializer.Serialize(keys.Select(k => ApiKeyAdmin.Describe(k, now)), Json));
            return 0;
        }, ct));

        var id = new Argument<string>("id") { Description = "The key's id (from create or list)." };
        var revoke = new Command("revoke", "Revoke a key (it stops working within the gateways' key cache duration).");
        revoke.Arguments.Add(id);
        foreach (var o in connection) revoke.Options.Add(o);
        revoke.SetAction(async (parse, ct) => await WithClusterAsync(parse, gatewayPort, clusterId, serviceId, connectTimeout, async grains =>
        {
            var keyId = parse.GetValue(id)!;
            if (!await grains.GetGrain<IApiKeyDirectoryGrain>(0).RevokeAsync(keyId, DateTime.UtcNow))
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"error: no key with id '{keyId}'");
                return 1;
            }
            await parse.InvocationConfiguration.Output.WriteLineAsync(JsonSerializer.Serialize(new { revoked = keyId }));
            return 0;
        }, ct));

        var keys = new Command("keys", "Manage stored API keys (scopes read, ingest, alerts, admin) of a running cluster.");
        keys.Subcommands.Add(create);
        keys.Subcommands.Add(list);
        keys.Subcommands.Add(revoke);
        return keys;
    }

    private static async Task<int> WithClusterAsync(ParseResult parse, Option<int> gatewayPort, Option<string> clusterId, Option<string> serviceId,
        Option<double> connectTimeout, Func<IGrainFactory, Task<int>> action, CancellationToken ct)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        var port = parse.GetValue(gatewayPort);
        builder.UseOrleansClient(client => client.UseLocalhostClustering(port, parse.GetValue(serviceId)!, parse.GetValue(clusterId)!));
        using var host = builder.Build();
        try
        {
            using var connect = CancellationTokenSource.CreateLinkedTokenSource(ct);
            connect.CancelAfter(TimeSpan.FromSeconds(parse.GetValue(connectTimeout)));
            await host.StartAsync(connect.Token);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync($"error: no MarketPulse cluster reachable on gateway port {port} ({ex.Message}); start the server first");
            return 1;
        }
        try
        {
            return await action(host.Services.GetRequiredService<IClusterClient>());
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }
}
