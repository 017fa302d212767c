using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MarketPulse.Server.Api;

/// <summary>
/// Makes the OpenAPI document's schemas say what the API writes, so that clients generated from it (the SPA's wire
/// types) are truthful. By default the schemas describe what the serializer would also accept on reading: the web
/// defaults read numbers from strings and the gateway tolerates NaN, so every number came out as "number or numeric
/// string or NaN" (and a nullable one lost its null); and a property with a default value was optional although it is
/// always written. Here:
/// <list type="bullet">
/// <item>a number is a JSON number (<c>integer</c> for integral types), nullable exactly when its type is
/// <see cref="Nullable{T}"/>. A non-finite double would still be written as <c>"NaN"</c> rather than fail the response,
/// but that is a defect guard, not the contract;</item>
/// <item>in what the API answers, every property the serializer always writes is required (a property written only
/// when set stays optional);</item>
/// <item>in a request body, the properties whose type is non-nullable are required and the others optional, as the
/// endpoints' field-by-field parsers treat them.</item>
/// </list>
/// </summary>
public static class OpenApiWireSchemas
{
    public static void Configure(OpenApiOptions options)
    {
        IReadOnlySet<Type>? requestBodies = null;
        options.AddSchemaTransformer((schema, context, _) =>
        {
            requestBodies ??= RequestBodyTypes(context.ApplicationServices);
            Apply(schema, context.JsonTypeInfo, requestBodies);
            return Task.CompletedTask;
        });
    }

    private static void Apply(OpenApiSchema schema, JsonTypeInfo typeInfo, IReadOnlySet<Type> requestBodies)
    {
        var underlying = Nullable.GetUnderlyingType(typeInfo.Type);
        if (NumberType(underlying ?? typeInfo.Type) is { } number)
        {
            schema.Type = underlying is null ? number : number | JsonSchemaType.Null;
            schema.AnyOf = null;
            schema.OneOf = null;
            schema.Enum = null;
            schema.Pattern = null;
            return;
        }
        if (typeInfo.Kind != JsonTypeInfoKind.Object || schema.Properties is not { Count: > 0 } properties) return;
        var input = requestBodies.Contains(typeInfo.Type);
        // In declaration order, as the generator writes it.
        schema.Required = typeInfo.Properties
            .Where(p => properties.ContainsKey(p.Name) && (input
                ? !p.IsSetNullable && Nullable.GetUnderlyingType(p.PropertyType) is null
                : p.Get is not null && p.ShouldSerialize is null))
            .Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
    }

    private static JsonSchemaType? NumberType(Type t) =>
        t == typeof(double) || t == typeof(float) || t == typeof(decimal) || t == typeof(Half) ? JsonSchemaType.Number
        : t == typeof(int) || t == typeof(long) || t == typeof(short) || t == typeof(byte) || t == typeof(sbyte)
          || t == typeof(uint) || t == typeof(ulong) || t == typeof(ushort) ? JsonSchemaType.Integer
        : null;

    /// <summary>The types the endpoints accept as a body (an array's element type for a batch).</summary>
    private static IReadOnlySet<Type> RequestBodyTypes(IServiceProvider services)
    {
        var types = new HashSet<Type>();
        var groups = services.GetRequiredService<IApiDescriptionGroupCollectionProvider>().ApiDescriptionGroups.Items;
        foreach (var parameter in groups.SelectMany(g => g.Items).SelectMany(d => d.ParameterDescriptions))
        {
            if (parameter.Source != BindingSource.Body || parameter.Type is not { } type) continue;
            types.Add(type.IsArray ? type.GetElementType()! : type);
        }
        return types;
    }
}
