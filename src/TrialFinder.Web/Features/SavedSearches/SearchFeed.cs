using TrialFinder.Infrastructure.Localization;
using System.Globalization;
using System.Text;
using System.Xml;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using TrialFinder.Core.Accounts;
using TrialFinder.Data;
using TrialFinder.Data.Accounts;
using TrialFinder.Data.Search;
using TrialFinder.Infrastructure.Site;
using TrialFinder.Web.Localization;

namespace TrialFinder.Web.Features.SavedSearches;

/// <summary>
/// The private Atom feed of a saved search, found by its secret token alone (feed readers cannot sign
/// in): the studies matching the search that appeared or changed in the last 30 days, with what changed.
/// </summary>
public static class SearchFeed
{
    public static readonly TimeSpan Window = TimeSpan.FromDays(30);
    public const int MaxEntries = 100;

    public sealed record Query(string Token) : IRequest<Model?>;

    public sealed record Model(long SearchId, string Name, string QueryString, DateTimeOffset Updated, IReadOnlyList<Entry> Entries);

    public sealed record Entry(
        string NctId, string Title, string OverallStatus, bool IsNew, DateTimeOffset FirstSeenAt, DateTimeOffset Updated, IReadOnlyList<string> Changes)
    {
        /// <summary>For a new match of a search that keeps a patient's answers: the text key of whether it fits them.</summary>
        public string? VerdictKey { get; init; }
    }

    public sealed class Handler(TrialFinderDbContext db, TimeProvider clock, IStringLocalizer<SiteText> text) : IRequestHandler<Query, Model?>
    {
        public async ValueTask<Model?> Handle(Query query, CancellationToken cancellationToken)
        {
            var hash = SecretToken.Hash(query.Token);
            var search = await db.SavedSearches.AsNoTracking()
                .Where(s => s.FeedTokenHash == hash)
                .Select(s => new { s.Id, s.Name, s.QueryString, s.CreatedAt })
                .SingleOrDefaultAsync(cancellationToken);
            if (search is null)
            {
                return null;
            }

            var since = clock.GetUtcNow() - Window;
            var criteria = SearchFilter.FromQueryString(search.QueryString).ToAlertCriteria();
            var matches = await new StudySearchQuery(db).RunAsync(criteria, cancellationToken);
            var ids = matches.Hits.Select(h => h.NctId).ToList();
            var recent = await db.Studies.AsNoTracking()
                .Where(s => ids.Contains(s.NctId) && (s.FirstSeenAt >= since || s.LastChangedAt >= since))
                .OrderByDescending(s => s.LastChangedAt > s.FirstSeenAt ? s.LastChangedAt : s.FirstSeenAt).ThenBy(s => s.NctId)
                .Take(MaxEntries)
                .Select(s => new { s.NctId, s.BriefTitle, s.OverallStatus, s.FirstSeenAt, s.LastChangedAt })
                .ToListAsync(cancellationToken);
            var recentIds = recent.Select(s => s.NctId).ToList();
            var changes = (await db.StudyChanges.AsNoTracking()
                    .Where(c => recentIds.Contains(c.NctId) && c.DetectedAt >= since)
                    .OrderByDescending(c => c.DetectedAt).ThenByDescending(c => c.Id)
                    .Select(c => new { c.NctId, c.DetectedAt, c.Kind, c.Summary, c.OldValue, c.NewValue })
                    .ToListAsync(cancellationToken))
                .ToLookup(c => c.NctId);

            var entries = recent.Select(s =>
            {
                var studyChanges = changes[s.NctId].ToList();
                var updated = new[] { s.FirstSeenAt, s.LastChangedAt }.Concat(studyChanges.Select(c => c.DetectedAt)).Max();
                return new Entry(s.NctId, s.BriefTitle, s.OverallStatus, IsNew: studyChanges.Count == 0 && s.FirstSeenAt >= since,
                    s.FirstSeenAt, updated,
                    studyChanges.Select(c => $"{c.DetectedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}: {text.Describe(c.Kind, c.Summary, c.OldValue, c.NewValue)}").ToList());
            }).ToList();
            var verdicts = await PatientVerdicts.ForAsync(db, criteria.Patient, entries.Where(e => e.IsNew).Select(e => e.NctId).ToList(), cancellationToken);
            entries = entries.Select(e => e.IsNew ? e with { VerdictKey = PatientVerdicts.TextKey(verdicts.GetValueOrDefault(e.NctId)) } : e).ToList();
            var feedUpdated = entries.Count > 0 ? entries.Max(e => e.Updated) : search.CreatedAt;
            return new Model(search.Id, search.Name, search.QueryString, feedUpdated, entries);
        }
    }

    /// <summary>Valid Atom 1.0 (RFC 4287) written with XmlWriter; every link is absolute.</summary>
    public static async Task<byte[]> WriteAtomAsync(Model feed, string baseUrl, string selfUrl, IStringLocalizer<SiteText> text)
    {
        const string atom = "http://www.w3.org/2005/Atom";
        using var buffer = new MemoryStream();
        var settings = new XmlWriterSettings { Async = true, Encoding = new UTF8Encoding(false), Indent = true };
        await using (var xml = XmlWriter.Create(buffer, settings))
        {
            await xml.WriteStartDocumentAsync();
            await xml.WriteStartElementAsync(null, "feed", atom);
            await xml.WriteAttributeStringAsync("xml", "lang", null, CultureInfo.CurrentUICulture.TwoLetterISOLanguageName);
            await xml.WriteElementStringAsync(null, "title", atom, XmlText(text["savedSearches.feed.title", feed.Name]));
            await xml.WriteElementStringAsync(null, "subtitle", atom, text["savedSearches.feed.subtitle"]);
            await xml.WriteElementStringAsync(null, "id", atom, $"{baseUrl}/saved-searches/{feed.SearchId.ToString(CultureInfo.InvariantCulture)}");
            await xml.WriteElementStringAsync(null, "updated", atom, Timestamp(feed.Updated));
            await LinkAsync(xml, "self", "application/atom+xml", selfUrl);
            // Feed readers may be third-party services: a patient's answers kept with the search never leave in the feed.
            await LinkAsync(xml, "alternate", "text/html", $"{baseUrl}/trials{Query(SearchFilter.FromQueryString(feed.QueryString).WithoutPatient().ToQueryString())}");
            await xml.WriteStartElementAsync(null, "author", atom);
            await xml.WriteElementStringAsync(null, "name", atom, "TrialFinder");
            await xml.WriteEndElementAsync();
            await xml.WriteElementStringAsync(null, "generator", atom, "TrialFinder");

            foreach (var entry in feed.Entries)
            {
                await xml.WriteStartElementAsync(null, "entry", atom);
                var title = entry.IsNew
                    ? text["savedSearches.feed.new", entry.Title]
                    : text["savedSearches.feed.changed", entry.Title];
                await xml.WriteElementStringAsync(null, "title", atom, XmlText(title));
                // A new id for each change, so feed readers show a change as a new item.
                await xml.WriteElementStringAsync(null, "id", atom,
                    $"{baseUrl}{SitePaths.TrialOf(entry.NctId)}?seen={entry.Updated.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}");
                await xml.WriteElementStringAsync(null, "published", atom, Timestamp(entry.FirstSeenAt));
                await xml.WriteElementStringAsync(null, "updated", atom, Timestamp(entry.Updated));
                await LinkAsync(xml, "alternate", "text/html", baseUrl + SitePaths.TrialOf(entry.NctId));
                var summary = new StringBuilder()
                    .AppendLine($"{entry.NctId} · {text.Status(entry.OverallStatus)}");
                if (entry.IsNew)
                {
                    summary.AppendLine(text["savedSearches.feed.newMatch"]);
                }

                if (entry.VerdictKey is { } verdict)
                {
                    summary.AppendLine(text[verdict]);
                }

                foreach (var change in entry.Changes)
                {
                    summary.AppendLine(change);
                }

                await xml.WriteStartElementAsync(null, "summary", atom);
                await xml.WriteAttributeStringAsync(null, "type", null, "text");
                await xml.WriteStringAsync(XmlText(summary.ToString().TrimEnd()));
                await xml.WriteEndElementAsync();
                await xml.WriteEndElementAsync();
            }

            await xml.WriteEndElementAsync();
            await xml.WriteEndDocumentAsync();
        }

        return buffer.ToArray();

        // Registry text may hold control characters that XML 1.0 cannot carry; they are dropped.
        static string XmlText(string value)
        {
            var clean = new StringBuilder(value.Length);
            for (var i = 0; i < value.Length; i++)
            {
                if (XmlConvert.IsXmlChar(value[i]))
                {
                    clean.Append(value[i]);
                }
                else if (i + 1 < value.Length && XmlConvert.IsXmlSurrogatePair(value[i + 1], value[i]))
                {
                    clean.Append(value[i]).Append(value[i + 1]);
                    i++;
                }
            }

            return clean.ToString();
        }

        static string Timestamp(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        static string Query(string queryString) => queryString.Length == 0 || queryString.StartsWith('?') ? queryString : "?" + queryString;

        static async Task LinkAsync(XmlWriter xml, string rel, string type, string href)
        {
            await xml.WriteStartElementAsync(null, "link", atom);
            await xml.WriteAttributeStringAsync(null, "rel", null, rel);
            await xml.WriteAttributeStringAsync(null, "type", null, type);
            await xml.WriteAttributeStringAsync(null, "href", null, href);
            await xml.WriteEndElementAsync();
        }
    }
}
