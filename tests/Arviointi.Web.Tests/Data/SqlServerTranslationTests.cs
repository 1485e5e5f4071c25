using System.Linq.Expressions;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Organisation;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Arviointi.Web.Tests.Data;

/// <summary>The check that translates every query of the tests for SQL Server (ArviointiFactory) can itself fail.</summary>
public sealed class SqlServerTranslationTests
{
    [Fact]
    public async Task A_query_SQLite_runs_but_SQL_Server_cannot_translate_fails_naming_the_query_and_fails_the_app_at_its_end()
    {
        // GLOB is SQLite's own: SQLite runs it, SQL Server has nothing to translate it to.
        Expression<Func<Municipality, bool>> glob = m => EF.Functions.Glob(m.NameFi, "H*");
        var factory = new ArviointiFactory();
        await using (var db = factory.CreateDbContext())
        {
            var prefix = "Hol";
            Assert.Single(await db.Municipalities.Where(m => m.NameFi.StartsWith(prefix)).ToListAsync());
            var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => db.Municipalities.Where(glob).ToListAsync());
            Assert.Contains("Glob(", failure.Message, StringComparison.Ordinal);
            Assert.Contains(typeof(SqlServerTranslationTests).FullName!, failure.Message, StringComparison.Ordinal);
        }

        await using (var sqlite = new SqliteAppDbContext(new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite($"Data Source={factory.DatabasePath};Pooling=false").Options))
        {
            Assert.Equal(3, await sqlite.Municipalities.CountAsync(glob));
        }

        var ours = SqlServerTranslationCheck.Translations.Where(t => t.Value.CallSite.StartsWith(typeof(SqlServerTranslationTests).FullName!, StringComparison.Ordinal)).ToList();
        Assert.Contains("FROM [Municipalities] AS [m]", Assert.Single(ours, t => t.Value.Sql is not null).Value.Sql, StringComparison.Ordinal);
        var untranslated = Assert.Single(ours, t => t.Value.Error is not null);

        // Had the app caught the failure, the run still fails: the factory tells it when disposed.
        var told = Assert.Throws<InvalidOperationException>(factory.Dispose);
        Assert.Contains("Glob(", told.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("StartsWith", told.Message, StringComparison.Ordinal);

        // The deliberate failure is not one of the app's queries, which the end of the run counts.
        SqlServerTranslationCheck.Translations.TryRemove(untranslated);
    }
}
