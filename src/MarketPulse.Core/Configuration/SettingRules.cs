using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace MarketPulse.Core.Configuration;

/// <summary>
/// A setting that must be greater than zero (numbers and <see cref="TimeSpan"/>s; an unset nullable passes). The message
/// says the rule and the value; the options validator puts the configuration key in front of it.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PositiveAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext context) =>
        SettingRule.Sign(value) is > 0 or null ? ValidationResult.Success : SettingRule.Fail("must be greater than 0", value, context);
}

/// <summary>A setting that must be zero or more (numbers and <see cref="TimeSpan"/>s; an unset nullable passes).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class NonNegativeAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext context) =>
        SettingRule.Sign(value) is >= 0 or null ? ValidationResult.Success : SettingRule.Fail("must be 0 or more", value, context);
}

/// <summary>A TCP port setting: 1 to 65535, or also 0 ("pick a free one") where <see cref="AllowZero"/>.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PortAttribute : ValidationAttribute
{
    public bool AllowZero { get; set; }

    protected override ValidationResult? IsValid(object? value, ValidationContext context) => value switch
    {
        null => ValidationResult.Success,
        int p when p is >= 1 and <= 65535 || (AllowZero && p == 0) => ValidationResult.Success,
        _ => SettingRule.Fail(AllowZero ? "must be a port (1 to 65535) or 0" : "must be a port (1 to 65535)", value, context),
    };
}

/// <summary>A text setting that must not be empty or blank.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class NotBlankAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext context) =>
        value is string s && !string.IsNullOrWhiteSpace(s) ? ValidationResult.Success : SettingRule.Fail("must not be empty", value ?? "", context);
}

internal static class SettingRule
{
    /// <summary>-1, 0 or 1 for a number or time span; null when unset; NaN counts as negative (no rule accepts it).</summary>
    public static int? Sign(object? value) => value switch
    {
        null => null,
        int i => Math.Sign(i),
        long l => Math.Sign(l),
        double d => double.IsNaN(d) ? -1 : Math.Sign(d),
        TimeSpan t => t.Ticks == 0 ? 0 : t.Ticks > 0 ? 1 : -1,
        _ => throw new ArgumentException($"no sign for a {value.GetType().Name}"),
    };

    public static ValidationResult Fail(string rule, object? value, ValidationContext context) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{rule} (is '{value}')"), context.MemberName is { } m ? [m] : null);
}
