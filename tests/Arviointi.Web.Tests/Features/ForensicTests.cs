using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Arviointi.Web.Features.Answering;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Arviointi.Web.Tests.Features;

/// <summary>
/// What a copy of the database files gives away, read byte by byte as a forensic examiner would: the main file,
/// the write-ahead log (every frame, stale ones too) and its index, copied at the moments that matter and after
/// every transaction the app commits.
/// </summary>
public sealed class ForensicTests(ForensicFactory factory, ITestOutputHelper output) : IClassFixture<ForensicFactory>
{
    [Fact]
    public async Task A_copy_of_the_files_never_pairs_a_code_with_its_answer_and_keeps_nothing_that_was_deleted()
    {
        // Files of its own: every transaction in them is this round's, and no other test's round shares their pages.
        await using var app = new ForensicFactory();
        var lahti = await TestData.UnitAsync(app, "016", $"Päiväkoti {Guid.NewGuid():n}");
        var iitti = await TestData.UnitAsync(app, "142", $"Päiväkoti {Guid.NewGuid():n}");
        var round = await TestData.OpenRoundAsync(app);
        var codes = (await TestData.CodesAsync(app, round.Id, lahti.Id, 9)).Concat(await TestData.CodesAsync(app, round.Id, iitti.Id, 6)).ToList();
        var markers = codes.Select((_, i) => $"MERKKI-{i:00}-{Guid.NewGuid():n}").ToList();
        var copies = new List<SqliteFiles>();
        app.Recording = true;

        // The first respondent answers three pages, closes the browser, comes back to it with the code and finishes.
        var drafts = new List<byte[]>();
        using var first = new Respondent(app);
        await first.EnterAsync(codes[0]);
        for (var page = 1; page <= 3; page++)
        {
            var fields = (await first.PageAsync(page)).Fields;
            await first.PostPageAsync(page, Answers(0, markers[0]).Where(a => fields.Contains(a.Key)));
            drafts.AddRange(await DraftPayloadsAsync(app, round.Id));
        }

        copies.Add(Copy(app, "while the first respondent answers"));
        var unsent = drafts[^1];
        using (var resumed = first.Reopen())
        {
            await resumed.EnterAsync(codes[0]);
            Assert.Contains("Jatkat aiemmin aloittamaasi vastausta.", (await resumed.PageAsync(1)).Html, StringComparison.Ordinal);
            Assert.Equal("/vastaa/kiitos", await AnswerAllAsync(app, resumed, Answers(0, markers[0]), round.Id, drafts));
        }

        copies.Add(Copy(app, "after the first answer, waiting"));
        for (var i = 1; i < PendingResponses.Threshold; i++)
        {
            using var respondent = new Respondent(app);
            await respondent.EnterAsync(codes[i]);
            Assert.Equal("/vastaa/kiitos", await respondent.AnswerAllAsync(Answers(i, markers[i])));
        }

        // The tenth answer flushed the ten into responses and emptied the log.
        var afterFlush = Copy(app, "after the tenth answer and its flush");
        copies.Add(afterFlush);
        Assert.Equal((0, PendingResponses.Threshold), await CountsAsync(app, round.Id));
        Assert.Empty(afterFlush.Wal);

        for (var i = PendingResponses.Threshold; i < codes.Count; i++)
        {
            using var respondent = new Respondent(app);
            await respondent.EnterAsync(codes[i]);
            Assert.Equal("/vastaa/kiitos", await respondent.AnswerAllAsync(Answers(i, markers[i])));
        }

        copies.Add(Copy(app, "five answers waiting"));
        app.Clock.Advance(TimeSpan.FromDays(31));
        await TestData.ReconcileAsync(app);
        var afterClose = Copy(app, "after closing: flushed and snapshotted");
        copies.Add(afterClose);
        Assert.Equal((0, codes.Count), await CountsAsync(app, round.Id));
        var stored = await StoredAsync(app, round.Id, markers);

        app.Clock.Advance(TimeSpan.FromDays(57));
        await TestData.ReconcileAsync(app);
        copies.Add(Copy(app, "published"));
        app.Clock.Advance(TimeSpan.FromDays(366));
        await TestData.ReconcileAsync(app);
        await using (var db = app.CreateDbContext())
        {
            Assert.Equal(RoundState.RawDataDeleted, (await db.Rounds.AsNoTracking().SingleAsync(r => r.Id == round.Id)).State);
        }

        var afterRetention = Copy(app, "after the raw data was deleted");
        copies.Add(afterRetention);
        app.Recording = false;
        var logCopies = app.LogCopies.ToList();
        var everything = logCopies.Concat(copies).ToList();
        foreach (var copy in copies)
        {
            output.WriteLine($"{copy.Label}: {string.Join(", ", copy.Files.Select(f => $"{f.Key} {f.Value.Length:N0} B"))}");
        }

        // A code's use and a readable answer never share a transaction in any copy of the log.
        var keys = app.Services.GetRequiredService<AnsweringKeys>();
        var codeHashes = codes.Select(c => Encoding.ASCII.GetBytes(keys.HashCode(c))).ToList();
        var readable = markers.Select(Encoding.UTF8.GetBytes).Concat(stored.Select(s => s.Id)).Concat(stored.Select(s => s.Answers)).ToList();
        bool UsesCode(ReadOnlyMemory<byte> page) => codeHashes.Exists(h => page.Span.IndexOf(h) >= 0);
        bool ReadsAnswer(ReadOnlyMemory<byte> page) => readable.Exists(r => page.Span.IndexOf(r) >= 0);
        var commits = everything.SelectMany(c => WalReader.Commits(c.Wal)).ToList();
        var withCodes = commits.Count(c => c.Any(UsesCode));
        var withAnswers = commits.Count(c => c.Any(ReadsAnswer));
        output.WriteLine($"{logCopies.Count} copies of the log after commits; {commits.Count} transactions read, {withCodes} touching codes, {withAnswers} holding readable answers");
        Assert.True(withCodes > 0 && withAnswers > 0, "The log copies must show code uses and the flush, or the search proves nothing");
        Assert.DoesNotContain(commits, c => c.Any(UsesCode) && c.Any(ReadsAnswer));

        // Every draft the first respondent's browser saved is gone from the files once the answer was sent and flushed.
        output.WriteLine($"{drafts.Count} drafts saved by the first respondent's browser");
        Assert.NotEmpty(copies[0].Holding(unsent.AsSpan(0, 28)));
        foreach (var copy in copies.SkipWhile(c => c != afterFlush))
        {
            Assert.All(drafts, d => Assert.Empty(DraftTraces(copy, d)));
        }

        // After retention no answer, open text, response id or code is anywhere in the files, the log is empty and the file rebuilt.
        Assert.NotEmpty(afterClose.Holding(markers[^1]));
        Assert.All(markers, m => Assert.Empty(afterRetention.Holding(m)));
        Assert.All(stored, s => Assert.Empty(afterRetention.Holding(s.Id)));
        Assert.All(stored, s => Assert.Empty(afterRetention.Holding(s.Answers)));
        Assert.All(codeHashes, h => Assert.Empty(afterRetention.Holding(h)));
        Assert.Empty(afterRetention.Wal);
        Assert.True(afterRetention.Main.Length < afterClose.Main.Length, "VACUUM rebuilt the file without the deleted pages");

        // The unsalted SHA-256 of a code, which anyone can compute from a code list, appears in no copy at all.
        var plainHashes = codes.Select(c => SHA256.HashData(Encoding.UTF8.GetBytes(AccessCodes.Normalize(c)))).ToList();
        Assert.NotEmpty(copies[0].Holding(codeHashes[0]));
        foreach (var copy in everything)
        {
            Assert.All(plainHashes, h => Assert.Empty(copy.Holding(Encoding.ASCII.GetBytes(Convert.ToHexStringLower(h))).Concat(copy.Holding(Encoding.ASCII.GetBytes(Convert.ToHexString(h)))).Concat(copy.Holding(h))));
        }

        // Stored responses follow neither the order they were sent in, by key nor by place in the file.
        var byKey = stored.OrderBy(s => s.TableOrder).Select(s => s.Respondent).ToList();
        var byPlace = stored.OrderBy(s => afterClose.Main.AsSpan().IndexOf(s.Answers)).Select(s => s.Respondent).ToList();
        var sent = Enumerable.Range(0, codes.Count).ToList();
        output.WriteLine($"sent 0..{codes.Count - 1}; by key {string.Join(' ', byKey)} (Kendall tau {Tau(byKey):0.00}); by place in the file {string.Join(' ', byPlace)} (tau {Tau(byPlace):0.00})");
        Assert.NotEqual(sent, byKey);
        Assert.NotEqual(sent, byPlace);
        Assert.NotEqual(sent.AsEnumerable().Reverse(), byPlace);
        Assert.Contains("WITHOUT ROWID", await TableSqlAsync(app, "Responses"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_code_holder_entering_the_code_in_another_browser_gets_a_fresh_form_not_the_draft()
    {
        var unit = await TestData.UnitAsync(factory, "781", $"Päiväkoti {Guid.NewGuid():n}");
        var round = await TestData.OpenRoundAsync(factory);
        var code = (await TestData.CodesAsync(factory, round.Id, unit.Id, 1))[0];
        const string secret = "Luonnos, jota koodin jakaja ei saa nähdä";
        using var respondent = new Respondent(factory);
        await respondent.EnterAsync(code);
        await respondent.PostPageAsync(1, [new("a_vk_h_age_band", "6")]);
        await respondent.PostPageAsync(7, [new("t_vk_h_open", secret)]);

        using var holder = new Respondent(factory);
        Assert.Equal("/vastaa/kysely", (await holder.EnterAsync(code)).Headers.Location?.OriginalString);
        var first = await holder.PageAsync(1);
        Assert.DoesNotContain("Jatkat aiemmin", first.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("checked=\"checked\"", first.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, (await holder.PageAsync(7)).Html, StringComparison.Ordinal);

        // The respondent's own browser still has it, after being closed and opened again.
        using var back = respondent.Reopen();
        await back.EnterAsync(code);
        Assert.Contains(secret, (await back.PageAsync(7)).Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answers_acknowledged_before_the_process_is_killed_are_stored_after_the_restart()
    {
        var unit = await TestData.UnitAsync(factory, "576", $"Päiväkoti {Guid.NewGuid():n}");
        var round = await TestData.OpenRoundAsync(factory);
        var codes = await TestData.CodesAsync(factory, round.Id, unit.Id, 3);
        foreach (var (code, i) in codes.Select((c, i) => (c, i)))
        {
            Assert.Equal(SubmitStatus.Saved, await TestData.AnswerAsync(factory, code, new Dictionary<string, string> { ["a_vk_h_001"] = $"{i + 2}" }));
        }

        Assert.Equal((3, 0), await CountsAsync(factory, round.Id));
        using var restarted = factory.CrashImage();
        restarted.Clock.SetUtcNow(factory.Clock.GetUtcNow());
        Assert.Equal(3, await TestData.ResponseCountAsync(restarted, round.Id));

        restarted.Clock.Advance(TimeSpan.FromDays(31));
        await TestData.ReconcileAsync(restarted);
        await using var db = restarted.CreateDbContext();
        Assert.Equal(0, await db.PendingResponses.CountAsync(p => p.RoundId == round.Id));
        var answers = await db.Responses.Where(r => r.RoundId == round.Id).Select(r => r.Answers).ToListAsync();
        Assert.Equal([2, 3, 4], answers.Select(a => (int)a.Max()).Order().ToArray());
        Assert.True(await db.ResultSnapshots.AnyAsync(s => s.RoundId == round.Id));
    }

    /// <summary>Every scale item answered by a respondent's own pattern, and both open texts carrying the respondent's marker.</summary>
    private static Dictionary<string, string> Answers(int respondent, string marker)
    {
        var random = new Random(1000 + respondent);
        var answers = Enumerable.Range(1, 31).ToDictionary(k => $"a_vk_h_{k:000}", _ => random.Next(1, 6).ToString(CultureInfo.InvariantCulture));
        answers["a_vk_h_age_band"] = "3-5";
        answers["a_vk_h_care_type"] = "centre";
        answers["t_vk_h_open_good"] = $"{marker} hyvää";
        answers["t_vk_h_open"] = marker;
        return answers;
    }

    /// <summary>As <see cref="Respondent.AnswerAllAsync"/>, keeping each draft the pages leave behind.</summary>
    private static async Task<string> AnswerAllAsync(ForensicFactory app, Respondent respondent, Dictionary<string, string> answers, int roundId, List<byte[]> drafts)
    {
        for (var page = 1; page < 100; page++)
        {
            var (status, _, fields, _) = await respondent.PageAsync(page);
            if (status == HttpStatusCode.Redirect)
            {
                break;
            }

            var posted = await respondent.PostPageAsync(page, answers.Where(a => fields.Contains(a.Key)));
            drafts.AddRange(await DraftPayloadsAsync(app, roundId));
            if (posted.Headers.Location!.OriginalString.StartsWith("/vastaa/yhteenveto", StringComparison.Ordinal))
            {
                break;
            }
        }

        return (await respondent.SendAsync()).Headers.Location!.OriginalString;
    }

    /// <summary>Any piece of a draft's ciphertext: its nonce and tag, a slice from the middle, its end.</summary>
    private static IEnumerable<string> DraftTraces(SqliteFiles copy, byte[] draft) =>
        copy.Holding(draft.AsSpan(0, 28)).Concat(copy.Holding(draft.AsSpan(draft.Length / 2, 16))).Concat(copy.Holding(draft.AsSpan(draft.Length - 16)));

    private static SqliteFiles Copy(ForensicFactory app, string label) => SqliteFiles.Copy(app.DatabasePath, label);

    private static async Task<List<byte[]>> DraftPayloadsAsync(ForensicFactory app, int roundId)
    {
        await using var db = app.CreateDbContext();
        return await db.Drafts.Where(d => d.RoundId == roundId).Select(d => d.Payload).ToListAsync();
    }

    private static async Task<(int Pending, int Stored)> CountsAsync(ForensicFactory app, int roundId)
    {
        await using var db = app.CreateDbContext();
        return (await db.PendingResponses.CountAsync(p => p.RoundId == roundId), await db.Responses.CountAsync(r => r.RoundId == roundId));
    }

    /// <summary>A stored response as its bytes are in the file: id text and answer blob, its respondent by the marker, its place in a scan of the table.</summary>
    private sealed record Stored(byte[] Id, byte[] Answers, int Respondent, int TableOrder);

    private static async Task<List<Stored>> StoredAsync(ForensicFactory app, int roundId, List<string> markers)
    {
        await using var connection = new SqliteConnection($"Data Source={app.DatabasePath};Mode=ReadOnly;Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT r.Id, r.Answers, r.RoundId, (SELECT t.Text FROM OpenTextAnswers t WHERE t.ResponseId = r.Id AND t.ItemId = 'vk_h_open')
            FROM Responses r
            """;
        await using var reader = await command.ExecuteReaderAsync();
        var stored = new List<Stored>();
        for (var order = 0; await reader.ReadAsync(); order++)
        {
            if (reader.GetInt32(2) == roundId)
            {
                stored.Add(new Stored(Encoding.UTF8.GetBytes(reader.GetString(0)), (byte[])reader.GetValue(1), markers.IndexOf(reader.GetString(3)), order));
            }
        }

        Assert.Equal(markers.Count, stored.Count);
        Assert.DoesNotContain(stored, s => s.Respondent < 0);
        return stored;
    }

    private static async Task<string> TableSqlAsync(ForensicFactory app, string table)
    {
        await using var connection = new SqliteConnection($"Data Source={app.DatabasePath};Mode=ReadOnly;Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = $name";
        command.Parameters.AddWithValue("$name", table);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Kendall's tau between a sequence and 0, 1, 2 …: 1 in sending order, −1 reversed, near 0 unrelated.</summary>
    private static double Tau(List<int> order)
    {
        var (concordant, discordant) = (0, 0);
        for (var i = 0; i < order.Count; i++)
        {
            for (var j = i + 1; j < order.Count; j++)
            {
                (concordant, discordant) = order[i] < order[j] ? (concordant + 1, discordant) : (concordant, discordant + 1);
            }
        }

        return (concordant - discordant) / (double)(concordant + discordant);
    }
}
