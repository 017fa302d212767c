using MarketPulse.Server.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MarketPulse.Server.Security;

/// <summary>
/// Completes the OpenAPI document for API consumers: the two ways to authenticate (API key header, bearer token), which
/// scope each operation needs, and the error answers every operation can give (all ProblemDetails).
/// </summary>
public static class OpenApiSecurity
{
    public const string ApiKeyScheme = "ApiKey";
    public const string BearerScheme = "Bearer";

    /// <summary>Request examples a reader can send as they are (the /scalar "try it" pre-fills them).</summary>
    private static readonly Dictionary<string, string> Examples = new()
    {
        ["POST api/ingest/ticks"] = """[{"symbol":"ACME","time":"2024-05-01T14:30:00Z","price":10.5,"size":100},{"symbol":"ACME","time":"2024-05-01T14:30:01Z","price":10.52,"size":40,"bid":10.51,"ask":10.53,"source":"my-feed","sequence":2}]""",
        ["POST api/ingest/posts"] = """[{"source":"newswire","id":"n-1","time":"2024-05-01T14:31:00Z","text":"$ACME beats estimates and raises guidance","symbols":["ACME"],"author":"desk"}]""",
        ["POST api/alerts"] = """{"symbol":"ACME","kind":"price-above","threshold":11,"webhookUrl":"https://hooks.example.com/marketpulse","name":"ACME breakout"}""",
    };

    public static void Configure(OpenApiOptions options, MarketPulseOptions settings)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "MarketPulse API";
            document.Info.Description = "Near-real-time market analysis: tickers, indicators, sentiment, predictions, alerts and ingest. "
                + "Authenticate with an API key (X-Api-Key header or Authorization: Bearer) or an identity-provider token. "
                + "Scopes: read (reads, when closed by configuration), ingest, alerts, admin (everything). Every error is RFC 9457 ProblemDetails.";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
            {
                [ApiKeyScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = ApiKeyAuthenticationHandler.Header,
                    Description = "A stored key (mpk_…, from `marketpulse keys create`) or a development key from MarketPulse:Api:Keys.",
                },
                [BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "JWT or API key",
                    Description = "An identity-provider token (scp/roles claims: read, ingest, alerts, admin) or an API key as the bearer token.",
                },
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer(async (operation, context, ct) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            var policies = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).Where(p => p is not null).ToHashSet();
            var needsCredential = policies.Any(p => p != Principals.ReadPolicy) || (policies.Contains(Principals.ReadPolicy) && settings.Api.RequireKeyForReads);
            // One named schema for every error answer, so that clients generated from the document share one type.
            if (context.Document?.Components?.Schemas?.ContainsKey(nameof(ProblemDetails)) != true)
                context.Document!.AddComponent(nameof(ProblemDetails), await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, ct));
            var problem = new OpenApiSchemaReference(nameof(ProblemDetails), context.Document);
            operation.Responses ??= new OpenApiResponses();
            void Add(string status, string description)
            {
                if (operation.Responses.ContainsKey(status)) return;
                operation.Responses[status] = new OpenApiResponse
                {
                    Description = description,
                    Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = problem } },
                };
            }
            if (needsCredential)
            {
                var scope = policies.FirstOrDefault() ?? Principals.ReadPolicy;
                operation.Security =
                [
                    new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, context.Document)] = [scope] },
                    new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [scope] },
                ];
                operation.Description = ($"Needs the `{scope}` scope (or `admin`). " + operation.Description).TrimEnd();
                Add("401", "No credential, or one that is invalid, expired or revoked.");
                Add("403", $"The credential lacks the {scope} scope.");
            }
            var method = context.Description.HttpMethod ?? "GET";
            if (method is "POST" or "PUT" or "PATCH")
            {
                Add("400", "The body or a field is invalid; the problem names the field.");
                Add("413", "The body or batch is too large.");
                Add("415", "The body is not application/json.");
            }
            else if (context.Description.ParameterDescriptions.Count > 0) Add("400", "A parameter is invalid; the problem names it.");
            if (context.Description.RelativePath?.Contains('{') == true) Add("404", "Nothing with that id or symbol (or, for an alert rule, it is another principal's).");
            Add("429", "Rate limit reached (per principal, per IP, per endpoint); see Retry-After.");
            if (operation.RequestBody?.Content is { } content && content.TryGetValue("application/json", out var json)
                && Examples.TryGetValue($"{method} {context.Description.RelativePath?.TrimEnd('/')}", out var example))
                json.Example = System.Text.Json.Nodes.JsonNode.Parse(example);
        });
    }
}
