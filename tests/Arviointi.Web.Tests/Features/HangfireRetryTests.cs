using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Notifications;
using Arviointi.Web.Jobs;
using Arviointi.Web.Tests.Infrastructure;
using Hangfire;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Arviointi.Web.Tests.Features;

/// <summary>Hangfire's job storage is process-wide, so the one test with a running job server runs alone.</summary>
[CollectionDefinition("Hangfire server", DisableParallelization = true)]
public sealed class HangfireServerRunsAlone : ICollectionFixture<HangfireServerFactory>;

/// <summary>The app with its Hangfire server running, sending mail to a loopback SMTP listener.</summary>
public sealed class HangfireServerFactory : MailFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Jobs:RunServer", "true");
    }
}

[Collection("Hangfire server")]
public sealed class HangfireRetryTests(HangfireServerFactory factory)
{
    [Fact]
    public async Task A_failed_job_is_scheduled_for_a_retry_and_shown_with_its_error_in_the_dashboard()
    {
        await TestData.UserAsync(factory, "hangfire.admin", Roles.Administrator);
        await using (var db = factory.CreateDbContext())
        {
            db.OutgoingMails.Add(new OutgoingMail
            {
                Key = "hangfire-retry", ToAddress = "retry@example.fi", ToName = "Testi", Subject = "Koe", Body = "Hei!",
                CreatedAt = factory.Clock.GetUtcNow(), NextAttemptAt = factory.Clock.GetUtcNow(),
            });
            await db.SaveChangesAsync();
        }

        factory.Smtp.RefuseRecipients = true;
        var jobId = factory.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<ScopedJob<MailSender>>(j => j.RunAsync(CancellationToken.None));

        // The server runs on real threads; wait, bounded, for its first attempt to fail and a retry to be scheduled.
        var monitoring = factory.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (monitoring.JobDetails(jobId)?.History.FirstOrDefault()?.StateName != "Scheduled" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        var latest = monitoring.JobDetails(jobId).History.First();
        Assert.Equal("Scheduled", latest.StateName);
        Assert.Contains("Retry attempt 1 of 5", latest.Reason, StringComparison.Ordinal);

        using var admin = await Browser.SignedInAsync(factory, "hangfire.admin", TestData.Password);
        Assert.Contains(jobId, (await admin.GetAsync("/hangfire/jobs/retries")).Html, StringComparison.Ordinal);
        var details = (await admin.GetAsync($"/hangfire/jobs/details/{jobId}")).Html;
        Assert.Contains("Mailbox temporarily unavailable", details, StringComparison.Ordinal);
        Assert.Contains("Failed", details, StringComparison.Ordinal);
    }
}
