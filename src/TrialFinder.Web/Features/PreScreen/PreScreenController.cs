using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using TrialFinder.Core.PreScreening;
using TrialFinder.Data.Search;
using TrialFinder.Web.Features.Search;
using TrialFinder.Web.Features.Security;
using TrialFinder.Web.Features.Trials;

namespace TrialFinder.Web.Features.PreScreen;

/// <summary>
/// The printable pre-screen sheet for one patient: the trials of a search that may fit, each with its checklist and
/// nearest sites with contacts. Open to everyone: nothing is stored, the answers come with the request.
/// </summary>
[EnableRateLimiting(RateLimits.Pages)]
public sealed class PreScreenController(IMediator mediator) : Controller
{
    public const int SheetTrials = 25;

    public sealed record SheetModel(SearchTrials.Result Search, IReadOnlyList<TrialDetails.Model> Trials, IReadOnlyList<(PatientQuestion Question, string Answer)> Answers);

    [HttpGet("/pre-screen/sheet")]
    public async Task<IActionResult> Sheet([ModelBinder<SearchFilterBinder>] SearchFilter filter, CancellationToken cancellationToken)
    {
        var patient = new Dictionary<string, string>(filter.Patient) { [PatientQuestions.HideConflicts] = "true" };
        var sheetFilter = filter with { Patient = patient, Page = null, PageSize = SheetTrials.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var search = await mediator.Send(new SearchTrials.Query(sheetFilter), cancellationToken);
        var profile = search.Criteria.Patient;
        if (!search.IsValid || profile.IsEmpty)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View("Sheet", new SheetModel(search, [], []));
        }

        var trials = new List<TrialDetails.Model>();
        foreach (var trial in search.Trials)
        {
            if (await mediator.Send(new TrialDetails.Query(trial.NctId, search.Place?.Latitude, search.Place?.Longitude, profile), cancellationToken) is { } details)
            {
                trials.Add(details);
            }
        }

        var answers = PatientQuestions.All.Where(q => profile.AnswerTo(q) is not null).Select(q => (q, profile.AnswerTo(q)!)).ToList();
        return View("Sheet", new SheetModel(search, trials, answers));
    }
}
