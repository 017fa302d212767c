using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MarketPulse.Grains.Hosting;

/// <summary>
/// Checks an options object bound from <see cref="Section"/> and every settings object it holds (nested sections and list
/// items) against their DataAnnotations rules and <see cref="IValidatableObject"/>, and names each failure by its
/// configuration key (<c>MarketPulse:Replay:Speed must be greater than 0 (is '-1')</c>), which is what an operator sets.
/// </summary>
public sealed class SectionValidator<TOptions>(string section) : IValidateOptions<TOptions> where TOptions : class
{
    public string Section { get; } = section;

    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var failures = new List<string>();
        SectionValidation.Collect(options, Section, failures, depth: 0);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

public static class SectionValidation
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> to <paramref name="section"/> of <paramref name="configuration"/>, checked by
    /// <see cref="SectionValidator{TOptions}"/> when the host starts (a bad setting stops it) and on first use elsewhere.
    /// The configuration is the one given, not whatever the host registers: a test silo passes its own.
    /// </summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>>(new SectionValidator<TOptions>(section)));
        return services.AddOptions<TOptions>().Bind(configuration.GetSection(section)).ValidateOnStart();
    }

    /// <summary>The failures of one settings object and, recursively, of the settings objects it holds, each as "key rule".</summary>
    internal static void Collect(object value, string path, List<string> failures, int depth)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(value, new ValidationContext(value), results, validateAllProperties: true);
        foreach (var result in results)
        {
            var members = result.MemberNames.ToList();
            if (members.Count == 0) failures.Add($"{path} {result.ErrorMessage}");
            foreach (var member in members) failures.Add($"{path}:{member} {result.ErrorMessage}");
        }
        // Settings graphs are shallow; the bound guards against a cycle.
        if (depth >= 8) return;
        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!property.CanRead || property.GetIndexParameters().Length > 0) continue;
            var type = property.PropertyType;
            if (IsSettings(type))
            {
                if (property.GetValue(value) is { } child) Collect(child, $"{path}:{property.Name}", failures, depth + 1);
            }
            else if (type != typeof(string) && !typeof(IDictionary).IsAssignableFrom(type) && property.GetValue(value) is IList list)
            {
                for (var i = 0; i < list.Count; i++)
                    if (list[i] is { } item && IsSettings(item.GetType())) Collect(item, $"{path}:{property.Name}:{i}", failures, depth + 1);
            }
        }
    }

    private static bool IsSettings(Type type) =>
        type.IsClass && type != typeof(string) && type.Namespace?.StartsWith("MarketPulse.", StringComparison.Ordinal) == true;
}
