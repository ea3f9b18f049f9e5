using Microsoft.AspNetCore.Http.Features;

namespace TrialFinder.Web.Features.Security;

/// <summary>
/// A NUL character (%00) can be neither searched nor stored: PostgreSQL refuses it in text. Requests that carry
/// one in their query string or form are answered 400 at the door — problem+json on the API, the error page in
/// the visitor's language elsewhere — rather than failing deep inside a search or a save.
/// </summary>
public static class NulCharacters
{
    public static IApplicationBuilder UseNulCharacterCheck(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (await CarriesNulAsync(context.Request))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            if (context.Request.Path.StartsWithSegments("/api"))
            {
                await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status400BadRequest,
                        Title = "The request contains a NUL character.",
                        Detail = "Remove the %00 character from the query string or form.",
                    },
                });
            }

            return;
        }

        await next();
    });

    private static async Task<bool> CarriesNulAsync(HttpRequest request)
    {
        if (request.HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is not null)
        {
            return false; // the error page shown for this very refusal
        }

        if (request.QueryString.HasValue && request.Query.Any(pair => pair.Key.Contains('\0') || pair.Value.Any(Nul)))
        {
            return true;
        }

        if (!request.HasFormContentType || request.HttpContext.Features.Get<IFormFeature>() is null && request.ContentLength is 0)
        {
            return false;
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync();
        }
        catch (InvalidDataException)
        {
            return false; // a malformed body is the form binding's to refuse, as before
        }

        return form.Any(pair => pair.Key.Contains('\0') || pair.Value.Any(Nul));
    }

    private static bool Nul(string? value) => value?.Contains('\0') == true;
}
