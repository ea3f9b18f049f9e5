using System.Security.Claims;
using Mediator;
using TrialFinder.Data;
using TrialFinder.Data.Admin;
using TrialFinder.Web.Pipeline;

namespace TrialFinder.Web.Features.Admin;

/// <summary>Who took an admin action, as the audit log records them.</summary>
public sealed record AdminActor(string UserId, string Email)
{
    public static AdminActor Of(ClaimsPrincipal user) => new(
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "unknown",
        user.FindFirstValue(ClaimTypes.Email) ?? user.Identity?.Name ?? "unknown");
}

/// <summary>Whether an admin action was taken, and the sentence shown to the admin and kept in the audit log.</summary>
public sealed record AdminActionResult(bool Accepted, string Message);

/// <summary>An admin action on the catalogue; <see cref="AuditBehavior{TMessage,TResponse}"/> records every one, taken or refused.</summary>
public interface IAuditedAction : IUnitOfWorkCommand<AdminActionResult>
{
    AdminActor By { get; }

    /// <summary>The action's name in the audit log.</summary>
    string AuditName { get; }

    /// <summary>What the action was given (the NCT ids of a refresh), if anything.</summary>
    string? AuditDetails => null;
}

/// <summary>
/// Adds the audit entry of each admin action after its handler (or its refusal by the validation behaviour), to the
/// unit of work that saves it with anything the handler staged, so no action goes unrecorded and no handler records itself.
/// </summary>
public sealed class AuditBehavior<TMessage, TResponse>(TrialFinderDbContext db, TimeProvider clock) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IAuditedAction
{
    private const int MaxDetailsLength = 1000;

    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var response = await next(message, cancellationToken);
        var details = message.AuditDetails?.Trim();
        db.AuditEntries.Add(new AuditEntry
        {
            At = clock.GetUtcNow(),
            UserId = message.By.UserId,
            UserEmail = message.By.Email,
            Action = message.AuditName,
            Details = details is { Length: > MaxDetailsLength } ? details[..MaxDetailsLength] : details,
            Result = (response as AdminActionResult)?.Message ?? "",
        });
        return response;
    }
}
