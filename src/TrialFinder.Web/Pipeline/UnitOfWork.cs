using Mediator;
using TrialFinder.Data;

namespace TrialFinder.Web.Pipeline;

/// <summary>
/// A command whose handler only stages changes on the context; <see cref="UnitOfWorkBehavior{TMessage,TResponse}"/>
/// saves them once, after the handler (and any behaviour inside it, such as the audit) has succeeded.
/// </summary>
public interface IUnitOfWorkCommand<TResponse> : IRequest<TResponse>;

public sealed class UnitOfWorkBehavior<TMessage, TResponse>(TrialFinderDbContext db) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IUnitOfWorkCommand<TResponse>
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var response = await next(message, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return response;
    }
}
