using Arviointi.Web.Data;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Organisation;
using Arviointi.Web.Features.ResponseRates;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Arviointi.Web.Features.Notifications;

/// <summary>
/// Puts into the outbox what is due: at the latest reminder point that has passed in an open round, a reminder to the
/// leaders of every unit under the threshold and a digest to every director; and, once a round's results are published,
/// a notice to every director. Each message has a key, so repeated, late or concurrent runs store it once.
/// </summary>
internal sealed class NotificationPlanner(
    AppDbContext db, ResponseRateQueries rates, TimeProvider time, IOptions<ReminderOptions> reminders, IOptions<MailOptions> mail, ILogger<NotificationPlanner> logger) : IScheduledWork
{
    public async Task RunAsync(CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var planned = new List<OutgoingMail>();
        foreach (var round in await db.Rounds.AsNoTracking().Where(r => r.State == RoundState.Open).ToListAsync(ct))
        {
            if (DuePoint(round, now) is { } point)
            {
                planned.AddRange(await RemindersAsync(round, point, now, ct));
            }
        }

        var since = now - reminders.Value.PublicationNoticeWindow;
        foreach (var round in await db.Rounds.AsNoTracking().Where(r => r.State == RoundState.Published && r.PublishAt > since).ToListAsync(ct))
        {
            planned.AddRange(await PublicationNoticesAsync(round, now, ct));
        }

        var stored = await StoreNewAsync(planned, ct);
        if (stored > 0)
        {
            logger.LogInformation("{Count} viestiä lisättiin lähtevien jonoon", stored);
        }
    }

    /// <summary>The configured points of a round's answering period, numbered 1–3 in configuration order, with their times.</summary>
    public static IReadOnlyList<(int Number, DateTimeOffset At)> Points(EvaluationRound round, ReminderOptions options)
    {
        ArgumentNullException.ThrowIfNull(round);
        ArgumentNullException.ThrowIfNull(options);
        return options.Points.Take(ReminderOptions.MaxPoints)
            .Select((p, i) => (Number: i + 1, At: p.At(round.OpensAt, round.ClosesAt)))
            .Where(p => p.At >= round.OpensAt && p.At < round.ClosesAt)
            .OrderBy(p => p.At).ToList();
    }

    // A run that comes late sends only the latest point that has passed, never a burst of old ones.
    private (int Number, DateTimeOffset At)? DuePoint(EvaluationRound round, DateTimeOffset now) =>
        Points(round, reminders.Value).Where(p => p.At <= now).Select(p => ((int, DateTimeOffset)?)p).LastOrDefault();

    private async Task<List<OutgoingMail>> RemindersAsync(EvaluationRound round, (int Number, DateTimeOffset At) point, DateTimeOffset now, CancellationToken ct)
    {
        // The counts as the response-rate page publishes them: a mail never says more than the page.
        var published = await rates.PublishedAsync(round, ct);
        var units = await db.Units.AsNoTracking().Include(u => u.Municipality).Where(u => u.Sector == round.Sector).ToListAsync(ct);
        var threshold = reminders.Value.Threshold;
        var status = units.Select(u => new UnitStatus(u, [.. ResponseRateQueries.GroupsOf(round.Sector).Where(published.ContainsKey)
                .Select(g => (Group: g, Cell: published[g].Cells.FirstOrDefault(c => c.IsUnit && c.Key == u.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))))
                .Where(p => p.Cell?.Enrolment is not null)
                .Select(p => RateRow.Of(p.Cell!, p.Group, null))]))
            .Where(s => s.Rows.Count > 0)
            .ToList();

        var mails = new List<OutgoingMail>();
        var leaders = await UsersInRoleAsync(Roles.UnitLeader, ct);
        foreach (var unit in status.Where(s => s.NeedsReminder(threshold)))
        {
            foreach (var leader in leaders.Where(l => l.UnitId == unit.Unit.Id))
            {
                mails.Add(Mail($"reminder:{round.Id}:{point.Number}:{leader.Id}", leader, now,
                    MailTexts.ReminderSubject(round, unit.Unit), MailTexts.Reminder(round, leader, unit, threshold, BaseUrl)));
            }
        }

        foreach (var director in await UsersInRoleAsync(Roles.Director, ct))
        {
            var own = status.Where(s => s.Unit.MunicipalityCode == director.MunicipalityCode).OrderBy(s => s.Unit.Name, StringComparer.Ordinal).ToList();
            if (own.Count > 0)
            {
                mails.Add(Mail($"digest:{round.Id}:{point.Number}:{director.Id}", director, now,
                    MailTexts.DigestSubject(round, own[0].Unit.Municipality!), MailTexts.Digest(round, director, own, threshold, BaseUrl)));
            }
        }

        return mails;
    }

    private async Task<List<OutgoingMail>> PublicationNoticesAsync(EvaluationRound round, DateTimeOffset now, CancellationToken ct) =>
        (await UsersInRoleAsync(Roles.Director, ct))
            .Select(d => Mail($"published:{round.Id}:{d.Id}", d, now, MailTexts.PublishedSubject(round), MailTexts.Published(round, d, BaseUrl)))
            .ToList();

    private string BaseUrl => mail.Value.BaseUrl.TrimEnd('/');

    private static OutgoingMail Mail(string key, AppUser to, DateTimeOffset now, string subject, string body) => new()
    {
        Key = key,
        ToAddress = to.Email!,
        ToName = to.DisplayName,
        Subject = subject,
        Body = body,
        CreatedAt = now,
        NextAttemptAt = now,
    };

    // Only users with an address can be told anything; the warning page lists leaders without one.
    private Task<List<AppUser>> UsersInRoleAsync(string role, CancellationToken ct) =>
        db.Users.AsNoTracking().InRoles(db, role)
            .Where(u => u.Email != null && u.Email != "")
            .OrderBy(u => u.Id).ToListAsync(ct);

    private async Task<int> StoreNewAsync(List<OutgoingMail> planned, CancellationToken ct)
    {
        if (planned.Count == 0)
        {
            return 0;
        }

        var keys = planned.Select(m => m.Key).ToList();
        var existing = (await db.OutgoingMails.Where(m => keys.Contains(m.Key)).Select(m => m.Key).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var stored = 0;
        foreach (var mail in planned.Where(m => !existing.Contains(m.Key)))
        {
            db.OutgoingMails.Add(mail);
            try
            {
                await db.SaveChangesAsync(ct);
                stored++;
            }
            catch (DbUpdateException)
            {
                // Another instance stored the same key first: the unique index keeps one.
                db.ChangeTracker.Clear();
            }
        }

        return stored;
    }
}

/// <summary>A unit's response-rate rows in one round, for the groups it has enrolment figures for.</summary>
internal sealed record UnitStatus(Unit Unit, IReadOnlyList<RateRow> Rows)
{
    /// <summary>
    /// A unit is reminded where its published rows show it under the threshold: a shown count, or a hidden one marked
    /// under half. A reminder never says more than the response-rate page (docs/privacy.md).
    /// </summary>
    public bool NeedsReminder(double threshold) => Rows.Any(r => r.Below(threshold));
}
