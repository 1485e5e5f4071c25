using Arviointi.Surveys;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Notifications;
using Arviointi.Web.Features.ResponseRates;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Jobs;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Arviointi.Web.Tests.Features;

/// <summary>
/// Reminders, digests and publication notices through a whole round, January to retention, on a moving clock: the jobs
/// run every twelve hours as the schedule would run them, and the mail goes over SMTP to a real listener on loopback.
/// </summary>
public sealed class NotificationTests(MailFactory factory) : IClassFixture<MailFactory>
{
    private static readonly DateTimeOffset Opens = new(2027, 1, 11, 6, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Closes = new(2027, 2, 12, 14, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Publishes = new(2027, 4, 14, 6, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Forgets = new(2028, 4, 14, 6, 0, 0, TimeSpan.Zero);

    // The reminder points of appsettings.json: a week after opening, a week and two days before closing.
    private static readonly DateTimeOffset FirstPoint = Opens.AddDays(7);
    private static readonly DateTimeOffset SecondPoint = Closes.AddDays(-7);

    [Fact]
    public async Task Leaders_under_the_threshold_get_at_most_three_reminders_directors_a_digest_at_each_point_and_one_notice_of_publication()
    {
        var lagging = await TestData.UnitAsync(factory, "560", "Muistutuspäiväkoti Hidas");
        var busy = await TestData.UnitAsync(factory, "560", "Muistutuspäiväkoti Ahkera");
        var silent = await TestData.UnitAsync(factory, "398", "Muistutuspäiväkoti Hiljainen");
        await TestData.UserAsync(factory, "muistutus.hidas", Roles.UnitLeader, "560", lagging.Id, "hidas@example.fi");
        await TestData.UserAsync(factory, "muistutus.osoitteeton", Roles.UnitLeader, "560", lagging.Id);
        await TestData.UserAsync(factory, "muistutus.ahkera", Roles.UnitLeader, "560", busy.Id, "ahkera@example.fi");
        await TestData.UserAsync(factory, "muistutus.hiljainen", Roles.UnitLeader, "398", silent.Id, "hiljainen@example.fi");
        await TestData.UserAsync(factory, "muistutus.orimattila", Roles.Director, "560", email: "sivistys@orimattila.example.fi");
        await TestData.UserAsync(factory, "muistutus.lahti", Roles.Director, "398", email: "sivistys@lahti.example.fi");

        var version = await TestData.SurveyAsync(factory, "ecec-guardian");
        var (round, errors) = await factory.WithScopeAsync(s => s.GetRequiredService<RoundAdmin>()
            .CreateAsync(new NewRound(2027, Sector.Ecec, "Muistutukset", Opens, Closes, [version.Id]) { PublishAt = Publishes, DeleteRawDataAt = Forgets }, "testi"));
        Assert.Empty(errors);
        await using (var db = factory.CreateDbContext())
        {
            db.Enrolments.AddRange(
                new Enrolment { RoundId = round!.Id, UnitId = lagging.Id, Group = RespondentGroup.Guardian, Count = 20 },
                new Enrolment { RoundId = round.Id, UnitId = busy.Id, Group = RespondentGroup.Guardian, Count = 10 },
                new Enrolment { RoundId = round.Id, UnitId = silent.Id, Group = RespondentGroup.Guardian, Count = 30 });
            await db.SaveChangesAsync();
        }

        var laggingCodes = await TestData.CodesAsync(factory, round.Id, lagging.Id, 10);
        var busyCodes = await TestData.CodesAsync(factory, round.Id, busy.Id, 6);
        await WalkToAsync(Opens.AddHours(1));
        await AnswerAsync(busyCodes);
        await AnswerAsync(laggingCodes.Take(2));

        await WalkToAsync(FirstPoint.AddMinutes(-1));
        Assert.Empty(factory.Smtp.Messages);

        await WalkToAsync(FirstPoint.AddHours(12));
        var first = Assert.Single(factory.Smtp.To("hidas@example.fi"));
        Assert.Contains("Muistutuspäiväkoti Hidas", first.Subject, StringComparison.Ordinal);
        var text = first.TextBody;
        // Two of twenty is hidden, as on the response-rate page, and marked under half (twenty leaves it ten wide).
        Assert.Contains("Huoltajat: piilotettu / 20 vastausta – alle rajan", text, StringComparison.Ordinal);
        Assert.DoesNotContain("2 / 20", text, StringComparison.Ordinal);
        Assert.Contains($"https://arviointi.example/vastausaste?kierros={round.Id}", text, StringComparison.Ordinal);
        Assert.Contains("12.2.2027 16.00", text, StringComparison.Ordinal);
        Assert.Single(factory.Smtp.To("hiljainen@example.fi"));
        Assert.Empty(factory.Smtp.To("ahkera@example.fi"));

        var digest = Assert.Single(factory.Smtp.To("sivistys@orimattila.example.fi"));
        Assert.Contains("Orimattila", digest.Subject, StringComparison.Ordinal);
        Assert.Contains("Kunnan 2 yksiköstä 1 on jossakin vastaajaryhmässä alle 50 %", digest.TextBody, StringComparison.Ordinal);
        Assert.Contains("Muistutuspäiväkoti Hidas – ALLE RAJAN", digest.TextBody, StringComparison.Ordinal);
        // Ahkera's 6 is hidden with Hidas's 2, so the digest shows neither; nobody reminds Ahkera, whose page shows no lag.
        Assert.Contains("Huoltajat: piilotettu / 10 vastausta", digest.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Hiljainen", digest.TextBody, StringComparison.Ordinal);
        Assert.Single(factory.Smtp.To("sivistys@lahti.example.fi"));

        // The same point again, twice at once as two servers would: nothing new is sent.
        var before = factory.Smtp.Messages.Count;
        await Task.WhenAll(RunAsync<NotificationPlanner>(), RunAsync<NotificationPlanner>());
        await RunAsync<MailSender>();
        Assert.Equal(before, factory.Smtp.Messages.Count);

        // The lagging unit catches up to half before the second point and is not reminded again; the silent one is.
        await WalkToAsync(SecondPoint.AddDays(-2));
        await AnswerAsync(laggingCodes.Skip(2));
        await WalkToAsync(Publishes.AddHours(-1));
        Assert.Single(factory.Smtp.To("hidas@example.fi"));
        Assert.Equal(3, factory.Smtp.To("hiljainen@example.fi").Count);
        Assert.Equal(3, Subjects("sivistys@orimattila.example.fi").Count(s => s.StartsWith("Vastausasteet", StringComparison.Ordinal)));
        Assert.DoesNotContain(Subjects("sivistys@lahti.example.fi"), s => s.StartsWith("Arvioinnin tulokset", StringComparison.Ordinal));

        // Published on its date: each director is told once, and nothing more comes through retention.
        await WalkToAsync(Publishes.AddDays(2));
        await WalkToAsync(Forgets.AddDays(2), TimeSpan.FromDays(30));
        foreach (var director in new[] { "sivistys@orimattila.example.fi", "sivistys@lahti.example.fi" })
        {
            var notice = Assert.Single(factory.Smtp.To(director), m => (m.Subject ?? "").StartsWith("Arvioinnin tulokset julkaistu", StringComparison.Ordinal));
            Assert.Contains($"https://arviointi.example/tulokset/{round.Id}", notice.TextBody, StringComparison.Ordinal);
        }

        Assert.Equal(3, factory.Smtp.To("hiljainen@example.fi").Count);
        Assert.Empty(factory.Smtp.To("ahkera@example.fi"));
        await using var check = factory.CreateDbContext();
        Assert.Equal(RoundState.RawDataDeleted, (await check.Rounds.SingleAsync(r => r.Id == round.Id)).State);
        Assert.All(await check.OutgoingMails.ToListAsync(), m => Assert.NotNull(m.SentAt));
    }

    /// <summary>Moves the clock in steps (twelve hours unless given) to <paramref name="until"/>, running the round, rate, reminder and mail jobs at each.</summary>
    private async Task WalkToAsync(DateTimeOffset until, TimeSpan? step = null)
    {
        while (factory.Clock.GetUtcNow() < until)
        {
            var next = factory.Clock.GetUtcNow() + (step ?? TimeSpan.FromHours(12));
            factory.Clock.SetUtcNow(next < until ? next : until);
            await RunAsync<RoundReconciler>();
            await RunAsync<ResponseRateRecorder>();
            await RunAsync<NotificationPlanner>();
            await RunAsync<MailSender>();
        }
    }

    private Task RunAsync<T>()
        where T : IScheduledWork => TestData.RunJobAsync<T>(factory);

    private async Task AnswerAsync(IEnumerable<string> codes)
    {
        foreach (var code in codes)
        {
            Assert.Equal(Arviointi.Web.Features.Answering.SubmitStatus.Saved, await TestData.AnswerAsync(factory, code, new Dictionary<string, string> { ["a_vk_h_001"] = "4" }));
        }
    }

    private List<string> Subjects(string address) => [.. factory.Smtp.To(address).Select(m => m.Subject ?? "")];
}
