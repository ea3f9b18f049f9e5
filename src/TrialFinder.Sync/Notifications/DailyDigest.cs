using System.Globalization;
using System.Text;
using Hangfire;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TrialFinder.Core.Accounts;
using TrialFinder.Data;
using TrialFinder.Data.Accounts;
using TrialFinder.Core.PreScreening;
using TrialFinder.Data.Search;
using TrialFinder.Infrastructure.Email;
using TrialFinder.Infrastructure.Jobs;
using TrialFinder.Infrastructure.Localization;
using TrialFinder.Infrastructure.Site;

namespace TrialFinder.Sync.Notifications;

/// <summary>
/// The daily e-mail for users who asked for it: what changed in their bookmarked studies since the
/// last digest, and the studies that newly match their saved searches. Nothing is sent when nothing
/// changed; either way the user's cursor moves on and each saved search remembers its current matches.
/// It is written in the user's site language, with the site's own text and addresses (SitePaths).
/// The cursor is a change id, not a time: a change whose page commits while the digest runs has a higher
/// id than the digest's end mark, so the next digest carries it.
/// </summary>
public static class DailyDigest
{
    /// <summary>Keeps one e-mail readable when a study or a search changed a lot; the rest is on the site.</summary>
    private const int MaxLinesPerItem = 20;

    public sealed record Command : IRequest<Summary>;

    public sealed record Summary(int UsersChecked, int EmailsSent);

    public sealed class Handler(
        TrialFinderDbContext db, IEmailSender email, TimeProvider clock, IOptions<SiteOptions> site, ILogger<Handler> logger)
        : IRequestHandler<Command, Summary>
    {
        public async ValueTask<Summary> Handle(Command command, CancellationToken cancellationToken)
        {
            var userIds = await db.Users.AsNoTracking()
                .Where(u => u.DailyDigest && u.EmailConfirmed && u.Email != null)
                .OrderBy(u => u.Id)
                .Select(u => u.Id)
                .ToListAsync(cancellationToken);

            // Change ids are handed out in commit order (only the sync lock's holder writes changes), so every
            // change at or below this mark is committed and visible now.
            var upTo = await db.StudyChanges.MaxAsync(c => (long?)c.Id, cancellationToken) ?? 0;
            var sent = 0;
            foreach (var userId in userIds)
            {
                db.ChangeTracker.Clear();
                var user = await db.Users.SingleAsync(u => u.Id == userId, cancellationToken);
                if (await DigestForAsync(user, upTo, cancellationToken) is { } message)
                {
                    // Sent before the window moves, so a failed send is retried by the next digest.
                    await email.SendAsync(message, cancellationToken);
                    sent++;
                }

                user.LastDigestAt = clock.GetUtcNow();
                user.DigestChangeCursor = Math.Max(user.DigestChangeCursor, upTo);
                await db.SaveChangesAsync(cancellationToken);
            }

            logger.LogInformation("Daily digest checked {Users} users and sent {Emails} e-mails", userIds.Count, sent);
            return new Summary(userIds.Count, sent);
        }

        private async Task<EmailMessage?> DigestForAsync(UserAccount user, long upTo, CancellationToken cancellationToken)
        {
            var after = user.DigestChangeCursor;
            var bookmarks = await db.Bookmarks.AsNoTracking()
                .Where(b => b.UserId == user.Id)
                .Select(b => new { b.NctId, b.BookmarkedAtChangeId })
                .ToDictionaryAsync(b => b.NctId, b => b.BookmarkedAtChangeId, cancellationToken);
            var bookmarkedIds = bookmarks.Keys.ToList();
            var changes = (await db.StudyChanges.AsNoTracking()
                    .Where(c => bookmarkedIds.Contains(c.NctId) && c.Id > after && c.Id <= upTo)
                    .OrderBy(c => c.NctId).ThenBy(c => c.DetectedAt).ThenBy(c => c.Id)
                    .ToListAsync(cancellationToken))
                .Where(c => c.Id > bookmarks[c.NctId])
                .GroupBy(c => c.NctId)
                .ToList();

            var newMatches = new List<(string Search, List<string> NctIds, IReadOnlyDictionary<string, PreScreenVerdict?> Verdicts)>();
            var searches = await db.SavedSearches.Where(s => s.UserId == user.Id).OrderBy(s => s.Name).ToListAsync(cancellationToken);
            foreach (var search in searches)
            {
                var criteria = SearchFilter.FromQueryString(search.QueryString).ToAlertCriteria();
                var page = await new StudySearchQuery(db).RunAsync(criteria, cancellationToken);
                var current = page.Hits.Select(h => h.NctId).ToList();
                var known = search.KnownMatches.ToHashSet(StringComparer.Ordinal);
                var fresh = current.Where(id => !known.Contains(id)).ToList();
                if (fresh.Count > 0)
                {
                    // A patient's answers kept with the search: each new trial says whether it fits them.
                    newMatches.Add((search.Name, fresh, await PatientVerdicts.ForAsync(db, criteria.Patient, fresh, cancellationToken)));
                }

                search.KnownMatches = current;
            }

            if (changes.Count == 0 && newMatches.Count == 0)
            {
                return null;
            }

            var mentioned = changes.Select(g => g.Key).Concat(newMatches.SelectMany(m => m.NctIds)).Distinct().ToList();
            var titles = await db.Studies.AsNoTracking()
                .Where(s => mentioned.Contains(s.NctId))
                .ToDictionaryAsync(s => s.NctId, s => s.BriefTitle, cancellationToken);
            string Title(string nctId) => titles.TryGetValue(nctId, out var title) ? title : nctId;

            var culture = JsonStringLocalizer.CultureOf(user.Language);
            string Text(string name, params object[] arguments) => JsonStringLocalizer.Text(culture, name, arguments);
            string Link(string path) => site.Value.Link(path);

            var body = new StringBuilder();
            body.AppendLine(Text("digest.email.heading")).AppendLine();
            if (changes.Count > 0)
            {
                body.AppendLine(Text("digest.email.changes")).AppendLine();
                foreach (var study in changes)
                {
                    body.AppendLine($"{study.Key} — {Title(study.Key)}");
                    body.AppendLine($"  {Link(SitePaths.TrialOf(study.Key))}");
                    foreach (var change in study.Take(MaxLinesPerItem))
                    {
                        body.AppendLine(culture, $"  - {change.DetectedAt:d MMM yyyy}: {StudyChangeText.Describe(change.Kind, change.Summary, change.OldValue, change.NewValue, Text)}");
                    }

                    if (study.Count() > MaxLinesPerItem)
                    {
                        body.AppendLine($"  - {Text("digest.email.more", study.Count() - MaxLinesPerItem)}");
                    }

                    body.AppendLine();
                }
            }

            if (newMatches.Count > 0)
            {
                body.AppendLine(Text("digest.email.newMatches")).AppendLine();
                foreach (var (search, nctIds, verdicts) in newMatches)
                {
                    body.AppendLine(Text("digest.email.searchNew", search, nctIds.Count));
                    foreach (var nctId in nctIds.Take(MaxLinesPerItem))
                    {
                        body.AppendLine($"  {nctId} — {Title(nctId)}");
                        if (PatientVerdicts.TextKey(verdicts.GetValueOrDefault(nctId)) is { } verdict)
                        {
                            body.AppendLine($"    {Text(verdict)}");
                        }

                        body.AppendLine($"    {Link(SitePaths.TrialOf(nctId))}");
                    }

                    if (nctIds.Count > MaxLinesPerItem)
                    {
                        body.AppendLine($"  {Text("digest.email.more", nctIds.Count - MaxLinesPerItem)}");
                    }

                    body.AppendLine();
                }
            }

            body.AppendLine(Text("digest.email.bookmarks", Link(SitePaths.Bookmarks)));
            // Only the hash is kept, so each e-mail carries a new unsubscribe token (saved with the user).
            var unsubscribeToken = SecretToken.New();
            user.UnsubscribeTokenHash = SecretToken.Hash(unsubscribeToken);
            body.AppendLine(Text("digest.email.unsubscribe", Link(SitePaths.UnsubscribeWith(unsubscribeToken))));
            var subject = changes.Count > 0
                ? Text(changes.Count == 1 ? "digest.email.subject.changed.one" : "digest.email.subject.changed", changes.Count)
                : Text("digest.email.subject.newMatches");
            return new EmailMessage(user.Email!, subject, body.ToString());
        }
    }
}

/// <summary>The Hangfire entry point of the daily digest (scheduled by the worker with NotificationsOptions.DigestCron).</summary>
[AutomaticRetry(Attempts = 0)]
public sealed class DailyDigestJob(IMediator mediator)
{
    public const string JobId = "daily-digest";

    public async Task SendAsync(CancellationToken cancellationToken) =>
        await mediator.Send(new DailyDigest.Command(), cancellationToken);
}
