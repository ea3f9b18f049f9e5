using System.Diagnostics.CodeAnalysis;
using Mediator;

namespace TrialFinder.Web.Pipeline;

/// <summary>
/// A request that carries its own rules: <see cref="ValidationBehavior{TMessage,TResponse}"/> checks them before the
/// handler runs, so a handler only ever sees a valid request.
/// </summary>
public interface IValidatedRequest<TResponse> : IRequest<TResponse>
{
    /// <summary>Whether the request breaks its rules, and if so the answer it gets instead (or throws, where that is the answer).</summary>
    bool TryRefuse([MaybeNullWhen(false)] out TResponse refusal);
}

public sealed class ValidationBehavior<TMessage, TResponse> : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IValidatedRequest<TResponse>
{
    public ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken) =>
        message.TryRefuse(out var refusal) ? ValueTask.FromResult(refusal) : next(message, cancellationToken);
}
