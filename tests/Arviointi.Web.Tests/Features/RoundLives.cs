using Arviointi.Surveys;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Notifications;
using Arviointi.Web.Features.Organisation;
using Arviointi.Web.Features.ResponseRates;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Features.Surveys;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Arviointi.Web.Tests.Features;

/// <summary>
/// The region, rounds and checks of the tests that run two servers through rounds' lives (<see cref="TwoServerTests"/>,
/// <see cref="TwoProcessTests"/>): what every round must have left behind, however the jobs raced.
/// </summary>
internal static class RoundLives
{
    public const string Item = "vk_h_001";

    /// <summary>A unit under the reminder threshold, one with no answers, their leaders and directors, and the guardian survey.</summary>
    public static async Task<Region> SeedAsync(ArviointiFactory factory, string unitName)
    {
        var lagging = await TestData.UnitAsync(factory, "560", unitName);
        var silent = await TestData.UnitAsync(factory, "398", "Hiljainen päiväkoti");
        await TestData.UserAsync(factory, "kaksi.johtaja", Roles.UnitLeader, "560", lagging.Id, "johtaja@example.fi");
        await TestData.UserAsync(factory, "kaksi.hiljainen", Roles.UnitLeader, "398", silent.Id, "hiljainen@example.fi");
        await TestData.UserAsync(factory, "kaksi.orimattila", Roles.Director, "560", email: "sivistys@orimattila.example.fi");
        await TestData.UserAsync(factory, "kaksi.lahti", Roles.Director, "398", email: "sivistys@lahti.example.fi");
        return new Region(lagging, silent, await TestData.SurveyAsync(factory, "ecec-guardian"));
    }

    /// <summary>
    /// <paramref name="count"/> rounds of <paramref name="year"/> with the same dates, each with codes of the lagging unit:
    /// <paramref name="early"/> to answer a week after opening and <paramref name="late"/> two days before closing.
    /// </summary>
    public static async Task<Year> RoundsAsync(ArviointiFactory factory, Region region, int year, int count, int early, int late)
    {
        var dates = new Year(
            year,
            new DateTimeOffset(year, 1, 11, 6, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(year, 2, 12, 14, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(year, 4, 14, 6, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(year, 5, 14, 6, 0, 0, TimeSpan.Zero));
        for (var r = 0; r < count; r++)
        {
            var (round, errors) = await factory.WithScopeAsync(s => s.GetRequiredService<RoundAdmin>()
                .CreateAsync(new NewRound(year, Sector.Ecec, $"Kaksi palvelinta {year}/{r}", dates.Opens, dates.Closes, [region.Version.Id]) { PublishAt = dates.Publishes, DeleteRawDataAt = dates.Forgets }, "testi"));
            Assert.Empty(errors);
            dates.Rounds.Add(round!.Id);
            await using (var db = factory.CreateDbContext())
            {
                db.Enrolments.AddRange(
                    new Enrolment { RoundId = round.Id, UnitId = region.Lagging.Id, Group = RespondentGroup.Guardian, Count = 40 },
                    new Enrolment { RoundId = round.Id, UnitId = region.Silent.Id, Group = RespondentGroup.Guardian, Count = 30 });
                await db.SaveChangesAsync();
            }

            var codes = await TestData.CodesAsync(factory, round.Id, region.Lagging.Id, early + late);
            dates.Early.AddRange(codes.Take(early));
            dates.Late.AddRange(codes.Skip(early));
        }

        return dates;
    }

    /// <summary>The round's stored results, byte for byte: the overview and every municipality's units.</summary>
    public static async Task<string> SnapshotAsync(ArviointiFactory factory, int roundId)
    {
        await using var db = factory.CreateDbContext();
        var snapshot = await db.ResultSnapshots.AsNoTracking().SingleAsync(s => s.RoundId == roundId);
        var parts = await db.ResultSnapshotParts.AsNoTracking().Where(p => p.RoundId == roundId).OrderBy(p => p.Key).Select(p => p.Key + "=" + p.Json).ToListAsync();
        return string.Join('\n', [$"{snapshot.Id} {snapshot.ComputedAt:O}", snapshot.Json, .. parts]);
    }

    /// <summary>
    /// After the raw data's deletion: each round went through every state once (audit), its snapshot is the one stored
    /// at the close, and every reminder, digest and notice was claimed and sent once. Returns the whole outbox.
    /// </summary>
    public static async Task<List<OutgoingMail>> AssertEachLivedOnceAsync(ArviointiFactory factory, IReadOnlyDictionary<int, string> snapshotsAtClose)
    {
        await using var check = factory.CreateDbContext();
        var outbox = await check.OutgoingMails.AsNoTracking().ToListAsync();
        foreach (var (id, stored) in snapshotsAtClose)
        {
            Assert.Equal(RoundState.RawDataDeleted, (await check.Rounds.SingleAsync(r => r.Id == id)).State);
            var actions = await check.AuditEvents.Where(a => a.Details.Contains($"Kierros {id} ") || a.Details.Contains($"Kierroksen {id} "))
                .OrderBy(a => a.Id).Select(a => a.Action).ToListAsync();
            Assert.Equal(["round.opened", "round.closed", "round.results-computed", "round.published", "round.raw-data-deleted"], actions);
            Assert.Equal(stored, await SnapshotAsync(factory, id));

            // Reminders to both leaders and digests to both directors at the three points, one notice each.
            var mails = outbox.Where(m => m.Key.Split(':')[1] == $"{id}").ToList();
            Assert.All(mails, m => Assert.Equal((1, true), (m.Attempts, m.SentAt is not null)));
            Assert.Equal((6, 6, 2), (Count(mails, "reminder:"), Count(mails, "digest:"), Count(mails, "published:")));
        }

        return outbox;
    }

    private static int Count(List<OutgoingMail> mails, string kind) => mails.Count(m => m.Key.StartsWith(kind, StringComparison.Ordinal));

    internal sealed record Region(Unit Lagging, Unit Silent, SurveyVersion Version);

    /// <summary>A year's rounds: their shared dates, their ids, and the codes to answer early and late.</summary>
    internal sealed record Year(int Number, DateTimeOffset Opens, DateTimeOffset Closes, DateTimeOffset Publishes, DateTimeOffset Forgets)
    {
        public List<int> Rounds { get; } = [];

        public List<string> Early { get; } = [];

        public List<string> Late { get; } = [];
    }
}
