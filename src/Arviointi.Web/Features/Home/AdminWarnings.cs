using Arviointi.Web.Data;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Notifications;
using Arviointi.Web.Features.Organisation;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Features.Shared;
using Arviointi.Web.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Arviointi.Web.Features.Home;

/// <summary>One thing the administrator must see at once, with where to look next.</summary>
internal sealed record AdminWarning(string Text, string? Link = null, string? LinkText = null);

/// <summary>
/// What has gone wrong with the schedule, read from the database alone: a job that keeps failing or has not succeeded
/// for too long, a round whose opening, closing, publication or deletion is overdue (so a scheduler that silently
/// stopped is seen even if it recorded nothing), and mail that cannot leave.
/// </summary>
internal sealed class AdminWarnings(AppDbContext db, TimeProvider time, IOptions<MailOptions> mail, IStringLocalizer<SharedResource> t)
{
    /// <summary>Failures in a row before a job counts as one that keeps failing (Hangfire retries each run in between).</summary>
    public const int FailuresToWarn = 3;

    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(5);

    public async Task<IReadOnlyList<AdminWarning>> ListAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var warnings = new List<AdminWarning>();
        foreach (var run in await db.JobRuns.AsNoTracking().ToListAsync(ct))
        {
            var job = Schedule.Jobs.FirstOrDefault(j => j.Id == run.JobId);
            var name = job?.Description ?? run.JobId;
            if (run.ConsecutiveFailures >= FailuresToWarn)
            {
                warnings.Add(new(t["Ajastettu työ ”{0}” on epäonnistunut {1} kertaa peräkkäin, viimeksi {2}: {3}", t[name], run.ConsecutiveFailures, Region.LocalText(run.LastFailedAt!.Value), run.LastError ?? ""],
                    "/hangfire/jobs/failed", t["Epäonnistuneet työt"]));
            }
            else if (job is not null && run.LastSucceededAt is { } succeeded && now - succeeded > Stale(job))
            {
                warnings.Add(new(t["Ajastettu työ ”{0}” onnistui viimeksi {1}. Ajastus ei ehkä ole käynnissä.", t[name], Region.LocalText(succeeded)],
                    "/hangfire/recurring", t["Toistuvat työt"]));
            }
        }

        var rounds = await db.Rounds.AsNoTracking().Where(r => r.State != RoundState.Draft && r.State != RoundState.RawDataDeleted).ToListAsync(ct);
        foreach (var round in rounds.OrderBy(r => r.OpensAt))
        {
            if (Overdue(round, now) is { } what)
            {
                warnings.Add(new(t["Kierros {0} ({1}): {2} piti tapahtua {3}, mutta ei ole tapahtunut. Ajastus ei toimi.", round.Year, t[Names.Of(round.Sector)], t[what.Step], Region.LocalText(what.Due)],
                    "/hallinta/kierrokset", t["Kierrokset"]));
            }
        }

        var undeliverable = await db.OutgoingMails.CountAsync(m => m.SentAt == null && m.Attempts >= OutgoingMail.MaxAttempts, ct);
        if (undeliverable > 0)
        {
            warnings.Add(new(t["{0} sähköpostiviestiä jäi lähettämättä kaikista yrityksistä huolimatta.", undeliverable]));
        }

        var waiting = await db.OutgoingMails.CountAsync(m => m.SentAt == null, ct);
        if (!mail.Value.Configured && waiting > 0)
        {
            warnings.Add(new(t["Sähköpostipalvelinta ei ole määritetty (asetus Mail:Host); {0} viestiä odottaa lähetystä.", waiting]));
        }

        if (rounds.Any(r => r.State is RoundState.Scheduled or RoundState.Open))
        {
            var withoutAddress = await db.Users.InRoles(db, Roles.UnitLeader, Roles.Director).CountAsync(u => u.Email == null || u.Email == "", ct);
            if (withoutAddress > 0)
            {
                warnings.Add(new(t["{0} yksikön johtajalla tai sivistysjohtajalla ei ole sähköpostiosoitetta; he eivät saa muistutuksia.", withoutAddress], "/hallinta/kayttajat", t["Käyttäjät"]));
            }
        }

        return warnings;
    }

    private static TimeSpan Stale(ScheduledJob job) => TimeSpan.FromTicks(Math.Max(job.Interval.Ticks * 3, job.Interval.Ticks + TimeSpan.FromMinutes(15).Ticks));

    private static (string Step, DateTimeOffset Due)? Overdue(EvaluationRound round, DateTimeOffset now) => round.State switch
    {
        RoundState.Scheduled when round.ClosesAt + Grace < now => ("sulkeutuminen", round.ClosesAt),
        RoundState.Scheduled when round.OpensAt + Grace < now => ("avautuminen", round.OpensAt),
        RoundState.Open when round.ClosesAt + Grace < now => ("sulkeutuminen", round.ClosesAt),
        RoundState.Closed when round.PublishAt + TimeSpan.FromHours(1) < now => ("tulosten julkaisu", round.PublishAt),
        RoundState.Published when round.DeleteRawDataAt + TimeSpan.FromDays(1) < now => ("raakadatan poisto", round.DeleteRawDataAt),
        _ => null,
    };
}
