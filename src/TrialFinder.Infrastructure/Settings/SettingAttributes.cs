using System.ComponentModel.DataAnnotations;
using Cronos;

namespace TrialFinder.Infrastructure.Settings;

/// <summary>An absolute http or https address, such as a service's base URL.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class HttpAddressAttribute : ValidationAttribute
{
    public HttpAddressAttribute() => ErrorMessage = "use an absolute http:// or https:// address";

    public override bool IsValid(object? value) =>
        value is string text
        && Uri.TryCreate(text, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}

/// <summary>A cron schedule as Hangfire reads it: five fields (minute first), or six with seconds first.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class CronScheduleAttribute : ValidationAttribute
{
    public CronScheduleAttribute() => ErrorMessage = "use a cron schedule of 5 fields, e.g. \"0 7 * * *\"";

    public override bool IsValid(object? value)
    {
        if (value is not string text)
        {
            return false;
        }

        var fields = text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Length;
        var format = fields switch
        {
            5 => CronFormat.Standard,
            1 when text.TrimStart().StartsWith('@') => CronFormat.Standard, // @daily, @hourly...
            6 => CronFormat.IncludeSeconds,
            _ => (CronFormat?)null,
        };
        return format is { } f && CronExpression.TryParse(text, f, out _);
    }
}

/// <summary>What a setting allows, as the end of "KEY=VALUE is not allowed: ...", for the ErrorMessage of range attributes.</summary>
public static class Allowed
{
    public const string WholeNumber = "use a whole number from {1} to {2}";
    public const string Number = "use a number from {1} to {2}";
}
