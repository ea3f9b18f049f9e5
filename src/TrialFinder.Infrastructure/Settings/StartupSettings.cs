using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace TrialFinder.Infrastructure.Settings;

/// <summary>
/// Options bound from one configuration section and checked before a host does any work. A wrong
/// value is described in one sentence naming the key, the value given and what is allowed, e.g.
/// "Registry:RequestsPerMinute=100000 is not allowed: use a whole number from 1 to 6000."
/// The allowed values come from each property's validation attributes and their ErrorMessage.
/// </summary>
public static class StartupSettings
{
    /// <summary>Binds <typeparamref name="TOptions"/> to <paramref name="section"/> and validates it on start.</summary>
    public static OptionsBuilder<TOptions> AddStartupSettings<TOptions>(this IServiceCollection services, string section)
        where TOptions : class
    {
        services.AddSingleton<IValidateOptions<TOptions>>(new SectionValidator<TOptions>(section));
        services.AddSingleton(new CheckedSection(section, typeof(TOptions), provider => provider.GetRequiredService<IOptions<TOptions>>().Value));
        return services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
    }

    /// <summary>Every wrong setting of the host in one line, or null when all are right.</summary>
    public static string? FindProblem(IServiceProvider services)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        var problems = new List<string>();
        foreach (var section in services.GetServices<CheckedSection>())
        {
            try
            {
                section.Read(services);
            }
            catch (OptionsValidationException exception)
            {
                problems.AddRange(exception.Failures);
            }
            catch (InvalidOperationException exception)
            {
                // The binder could not convert a value (e.g. "abc" for a number).
                problems.Add(Unconvertible(configuration, section) ?? exception.Message);
            }
        }

        return problems.Count == 0 ? null : string.Join(" ", problems);
    }

    private static string Describe(string key, object? value, string requirement) =>
        $"{key}={Format(value)} is not allowed: {requirement}.";

    private static string? Unconvertible(IConfiguration configuration, CheckedSection section)
    {
        var scalars = section.OptionsType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && IsScalar(Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType));
        foreach (var property in scalars)
        {
            var key = $"{section.Name}:{property.Name}";
            if (configuration[key] is not { } text)
            {
                continue;
            }

            try
            {
                TypeDescriptor.GetConverter(property.PropertyType).ConvertFromInvariantString(text);
            }
            catch (Exception exception) when (exception is FormatException or ArgumentException or NotSupportedException or OverflowException)
            {
                return Describe(key, text, Requirement(property));
            }
        }

        return null;
    }

    private static string Requirement(PropertyInfo property)
    {
        var described = property.GetCustomAttributes<ValidationAttribute>().FirstOrDefault(a => a.ErrorMessage is not null);
        if (described is not null)
        {
            return described.FormatErrorMessage(property.Name);
        }

        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        return type == typeof(bool) ? "use true or false"
            : type == typeof(int) || type == typeof(long) ? "use a whole number"
            : type == typeof(double) || type == typeof(decimal) ? "use a number"
            : "see README.md";
    }

    private static bool IsScalar(Type type) => type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal);

    private static string Format(object? value) => value switch
    {
        null => "(empty)",
        string { Length: 0 } => "(empty)",
        string text when text.Any(char.IsWhiteSpace) => $"\"{text}\"",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private sealed record CheckedSection(string Name, Type OptionsType, Func<IServiceProvider, object> Read);

    private sealed class SectionValidator<TOptions>(string section) : IValidateOptions<TOptions>
        where TOptions : class
    {
        public ValidateOptionsResult Validate(string? name, TOptions options)
        {
            if (name != Options.DefaultName)
            {
                return ValidateOptionsResult.Skip;
            }

            var results = new List<ValidationResult>();
            if (Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
            {
                return ValidateOptionsResult.Success;
            }

            return ValidateOptionsResult.Fail(results.Select(result =>
            {
                var member = result.MemberNames.FirstOrDefault() ?? "";
                var value = typeof(TOptions).GetProperty(member)?.GetValue(options);
                return Describe($"{section}:{member}", value, result.ErrorMessage ?? "see README.md");
            }));
        }
    }
}
