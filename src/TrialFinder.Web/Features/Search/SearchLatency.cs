using System.Diagnostics;
using System.Diagnostics.Metrics;
using Mediator;
using TrialFinder.Web.Features.Health;

namespace TrialFinder.Web.Features.Search;

/// <summary>
/// Times every search (pages and API alike) into the histogram <c>trialfinder.search.duration</c> of meter
/// <c>TrialFinder.Web</c>, by query kind: <c>place</c>, <c>text</c>, <c>place+text</c>, <c>filters</c> (neither), or
/// <c>invalid</c> when the filters were refused.
/// </summary>
public sealed class SearchLatency : IPipelineBehavior<SearchTrials.Query, SearchTrials.Result>
{
    private readonly Histogram<double> _duration;

    public SearchLatency(IMeterFactory meters) =>
        _duration = meters.Create(RegistryHealthMetrics.MeterName).CreateHistogram<double>("trialfinder.search.duration", "s",
            "Time to answer one search, by query kind.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });

    public async ValueTask<SearchTrials.Result> Handle(
        SearchTrials.Query message, MessageHandlerDelegate<SearchTrials.Query, SearchTrials.Result> next, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var result = await next(message, cancellationToken);
        _duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("search.kind", KindOf(result)));
        return result;
    }

    public static string KindOf(SearchTrials.Result result) =>
        !result.IsValid ? "invalid"
        : (result.Criteria.Near is not null, !string.IsNullOrWhiteSpace(result.Criteria.Text)) switch
        {
            (true, true) => "place+text",
            (true, false) => "place",
            (false, true) => "text",
            _ => "filters",
        };
}
