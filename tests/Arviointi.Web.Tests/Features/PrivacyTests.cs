using Arviointi.Web.Data;
using Arviointi.Web.Features.Answering;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Arviointi.Web.Tests.Features;

/// <summary>Anonymity that holds: nothing in the logs or the database ties a respondent or a code to the answers.</summary>
public sealed class PrivacyTests(LoggingFactory factory) : IClassFixture<LoggingFactory>
{
    [Fact]
    public async Task A_full_answering_session_leaves_no_address_user_agent_or_code_in_any_log()
    {
        var unit = await TestData.UnitAsync(factory, "781", $"Päiväkoti {Guid.NewGuid():n}");
        var round = await TestData.OpenRoundAsync(factory);
        var codes = await TestData.CodesAsync(factory, round.Id, unit.Id, 2);
        factory.Logs.Entries.Clear();

        using (var respondent = new Respondent(factory))
        {
            await respondent.EnterAsync("AAAAA-BBBBB");
            await respondent.EnterAsync(codes[0]);
            Assert.Equal("/vastaa/kiitos", await respondent.AnswerAllAsync(new Dictionary<string, string> { ["a_vk_h_age_band"] = "6", ["a_vk_h_001"] = "5", ["t_vk_h_open"] = "Kiitos hyvästä hoidosta" }));
            await respondent.EnterAsync(codes[0]);
        }

        var logs = factory.Logs.Entries.ToList();
        Assert.True(logs.Count > 20, $"Only {logs.Count} log entries were captured: the capture is not seeing the app");
        Assert.Contains(logs, l => l.Contains("/vastaa/kysely", StringComparison.Ordinal));
        string[] secrets =
        [
            LoggingFactory.ClientAddress.ToString(), LoggingFactory.ForwardedFor, LoggingFactory.UserAgent, "Puhelin-4711",
            codes[0], AccessCodes.Normalize(codes[0]), codes[0].ToLowerInvariant(), factory.Services.GetRequiredService<AnsweringKeys>().HashCode(codes[0]), "Kiitos hyvästä hoidosta",
        ];
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(logs, l => l.Contains(secret, StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public async Task After_answering_nothing_in_the_database_joins_a_code_to_its_answers()
    {
        var unit = await TestData.UnitAsync(factory, "576", $"Päiväkoti {Guid.NewGuid():n}");
        var round = await TestData.OpenRoundAsync(factory);
        var codes = await TestData.CodesAsync(factory, round.Id, unit.Id, 6);
        foreach (var (code, i) in codes.Select((c, i) => (c, i)))
        {
            factory.Clock.Advance(TimeSpan.FromMinutes(7 * i));
            using var respondent = new Respondent(factory);
            await respondent.EnterAsync(code);
            await respondent.AnswerAllAsync(new Dictionary<string, string> { ["a_vk_h_age_band"] = "3-5", ["a_vk_h_001"] = $"{1 + (i % 5)}" });
        }

        await TestData.FlushAsync(factory);
        await using var db = factory.CreateDbContext();
        var codeRows = await db.AccessCodes.AsNoTracking().Where(c => c.RoundId == round.Id).ToListAsync();
        var responses = await db.Responses.AsNoTracking().Where(r => r.RoundId == round.Id).ToListAsync();
        Assert.Equal(6, responses.Count);
        Assert.All(codeRows, c => Assert.Equal(1, c.Uses));

        // Schema: no column of a response refers to a code, and a code row records no time and no response.
        var responseType = db.Model.FindEntityType(typeof(Response))!;
        Assert.DoesNotContain(responseType.GetForeignKeys(), fk => fk.PrincipalEntityType.ClrType == typeof(AccessCode));
        Assert.Equal(
            ["BatchId", "Group", "Hash", "Id", "Kind", "MaxUses", "RoundId", "UnitId", "Uses"],
            db.Model.FindEntityType(typeof(AccessCode))!.GetProperties().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(typeof(DateOnly), responseType.FindProperty(nameof(Response.SubmittedOn))!.ClrType);
        Assert.Empty(await db.Drafts.Where(d => d.RoundId == round.Id).ToListAsync());

        // Data: every value of every other table, searched for the codes, their hashes and their row ids.
        var needles = codeRows.SelectMany(c => new[] { c.Hash, $"code:{AccessCodes.Normalize(codes[0])}" }).Concat(codes).Concat(codes.Select(AccessCodes.Normalize)).ToList();
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await connection.OpenAsync();
        foreach (var table in await TablesAsync(connection))
        {
            if (table is "AccessCodes" or "CodeBatches")
            {
                continue;
            }

            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM \"{table}\"";
            using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var column = 0; column < reader.FieldCount; column++)
                {
                    var value = reader.IsDBNull(column) ? "" : reader.GetValue(column) is byte[] bytes ? Convert.ToHexString(bytes) : Convert.ToString(reader.GetValue(column), System.Globalization.CultureInfo.InvariantCulture) ?? "";
                    Assert.DoesNotContain(needles, n => value.Contains(n, StringComparison.OrdinalIgnoreCase));
                }
            }
        }

        // Time: answers carry the day only, the same for everyone who answered that day, whatever the minute.
        Assert.Single(responses.Select(r => r.SubmittedOn).Distinct());
        Assert.All(responses, r => Assert.Equal(4, r.Id.Version));
    }

    [Fact]
    public async Task Drafts_of_a_round_that_has_ended_are_deleted()
    {
        var unit = await TestData.UnitAsync(factory, "142", $"Päiväkoti {Guid.NewGuid():n}");
        var round = await TestData.OpenRoundAsync(factory);
        var codes = await TestData.CodesAsync(factory, round.Id, unit.Id, 1);
        using var respondent = new Respondent(factory);
        await respondent.EnterAsync(codes[0]);
        await respondent.PostPageAsync(1, [new("a_vk_h_age_band", "3-5")]);
        await using var db = factory.CreateDbContext();
        Assert.Equal(1, await db.Drafts.CountAsync(d => d.RoundId == round.Id));

        factory.Clock.Advance(TimeSpan.FromDays(31));
        await TestData.ReconcileAsync(factory);
        Assert.Equal(RoundState.Closed, (await db.Rounds.AsNoTracking().SingleAsync(r => r.Id == round.Id)).State);
        Assert.Equal(0, await db.Drafts.CountAsync(d => d.RoundId == round.Id));
    }

    private static async Task<List<string>> TablesAsync(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
        using var reader = await command.ExecuteReaderAsync();
        var tables = new List<string>();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }
}
