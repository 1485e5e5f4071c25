using Arviointi.Surveys;
using Arviointi.Web.Features.Home;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Notifications;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Jobs;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Arviointi.Web.Tests.Features;

/// <summary>Failing jobs back off and retry, nothing queued is lost, and what keeps failing or silently stops is on the administrator's front page.</summary>
public sealed class JobHealthTests(MailFactory factory) : IClassFixture<MailFactory>
{
    [Fact]
    public async Task Mail_the_server_refuses_waits_longer_after_each_attempt_and_is_sent_once_the_server_takes_it()
    {
        var id = await QueueAsync("backoff@example.fi");
        factory.Smtp.RefuseRecipients = true;
        await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync<MailSender>());
        var refused = await MailAsync(id);
        Assert.Null(refused.SentAt);
        Assert.Equal(1, refused.Attempts);
        Assert.Contains("temporarily unavailable", refused.LastError, StringComparison.Ordinal);
        Assert.Equal(factory.Clock.GetUtcNow() + MailSender.Backoff(1), refused.NextAttemptAt);

        // Not due yet: the run leaves it alone.
        factory.Smtp.RefuseRecipients = false;
        await RunAsync<MailSender>();
        Assert.Empty(factory.Smtp.To("backoff@example.fi"));

        factory.Clock.Advance(MailSender.Backoff(1));
        await RunAsync<MailSender>();
        Assert.Single(factory.Smtp.To("backoff@example.fi"));
        var sent = await MailAsync(id);
        Assert.NotNull(sent.SentAt);
        Assert.Null(sent.LastError);
        Assert.Equal(2, sent.Attempts);

        await RunAsync<MailSender>();
        Assert.Single(factory.Smtp.To("backoff@example.fi"));
    }

    [Fact]
    public async Task A_job_that_keeps_failing_is_on_the_front_page_until_it_succeeds_again()
    {
        await TestData.UserAsync(factory, "terveys.admin", Roles.Administrator);
        var id = await QueueAsync("toistuva@example.fi");
        factory.Smtp.RefuseRecipients = true;
        for (var attempt = 1; attempt <= AdminWarnings.FailuresToWarn; attempt++)
        {
            Assert.DoesNotContain("Sähköpostien lähetys", await FrontPageAsync(), StringComparison.Ordinal);
            await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync<MailSender>());
            factory.Clock.Advance(MailSender.Backoff(attempt));
        }

        var page = await FrontPageAsync();
        Assert.Contains("Ajastettu työ ”Sähköpostien lähetys” on epäonnistunut 3 kertaa peräkkäin", page, StringComparison.Ordinal);
        Assert.Contains("Mailbox temporarily unavailable", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/hangfire/jobs/failed\"", page, StringComparison.Ordinal);

        factory.Smtp.RefuseRecipients = false;
        await RunAsync<MailSender>();
        Assert.Single(factory.Smtp.To("toistuva@example.fi"));
        Assert.NotNull((await MailAsync(id)).SentAt);
        Assert.DoesNotContain("Sähköpostien lähetys", await FrontPageAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_round_the_scheduler_failed_to_close_is_on_the_front_page_even_when_no_job_ran_at_all()
    {
        await TestData.UserAsync(factory, "ajastus.admin", Roles.Administrator);
        var version = await TestData.SurveyAsync(factory, "ecec-staff");
        var now = factory.Clock.GetUtcNow();
        var (round, errors) = await factory.WithScopeAsync(s => s.GetRequiredService<RoundAdmin>()
            .CreateAsync(new NewRound(2027, Sector.Ecec, "Pysähtynyt ajastus", now.AddMinutes(-30), now.AddMinutes(10), [version.Id]), "testi"));
        Assert.Empty(errors);
        await RunAsync<RoundReconciler>();

        factory.Clock.Advance(TimeSpan.FromMinutes(14));
        Assert.DoesNotContain("Ajastus ei toimi", await FrontPageAsync("ajastus.admin"), StringComparison.Ordinal);

        // Nothing ran for twenty minutes: the round is still open a quarter of an hour after its close time.
        factory.Clock.Advance(TimeSpan.FromMinutes(6));
        var page = await FrontPageAsync("ajastus.admin");
        Assert.Contains("sulkeutuminen piti tapahtua", page, StringComparison.Ordinal);
        Assert.Contains("Ajastus ei toimi", page, StringComparison.Ordinal);

        await RunAsync<RoundReconciler>();
        await using var db = factory.CreateDbContext();
        Assert.Equal(RoundState.Closed, (await db.Rounds.SingleAsync(r => r.Id == round!.Id)).State);
        Assert.DoesNotContain("Ajastus ei toimi", await FrontPageAsync("ajastus.admin"), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_job_retries_with_growing_delays_and_never_runs_twice_at_once()
    {
        var method = typeof(ScopedJob<RoundReconciler>).GetMethod(nameof(ScopedJob<RoundReconciler>.RunAsync))!;
        var retry = Assert.Single(method.GetCustomAttributes(typeof(Hangfire.AutomaticRetryAttribute), false).Cast<Hangfire.AutomaticRetryAttribute>());
        Assert.True(retry.Attempts >= 3);
        Assert.Equal(retry.DelaysInSeconds.Order(), retry.DelaysInSeconds);
        Assert.Single(method.GetCustomAttributes(typeof(Hangfire.DisableConcurrentExecutionAttribute), false));
        Assert.Equal(Schedule.Jobs.Count, Schedule.Jobs.Select(j => j.Work).Distinct().Count());
    }

    private async Task<int> QueueAsync(string address)
    {
        await using var db = factory.CreateDbContext();
        var mail = new OutgoingMail
        {
            Key = $"test:{Guid.NewGuid():n}",
            ToAddress = address,
            ToName = "Testi",
            Subject = "Koe",
            Body = "Hei!",
            CreatedAt = factory.Clock.GetUtcNow(),
            NextAttemptAt = factory.Clock.GetUtcNow(),
        };
        db.OutgoingMails.Add(mail);
        await db.SaveChangesAsync();
        return mail.Id;
    }

    private async Task<OutgoingMail> MailAsync(int id)
    {
        await using var db = factory.CreateDbContext();
        return await db.OutgoingMails.AsNoTracking().SingleAsync(m => m.Id == id);
    }

    private async Task<string> FrontPageAsync(string admin = "terveys.admin")
    {
        using var browser = await Browser.SignedInAsync(factory, admin, TestData.Password);
        return (await browser.GetAsync("/")).Html;
    }

    private Task RunAsync<T>()
        where T : IScheduledWork => TestData.RunJobAsync<T>(factory);
}
