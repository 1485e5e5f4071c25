using System.Collections;
using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Diagnostics;
using System.Linq.Expressions;
using System.Reflection;
using Arviointi.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.EntityFrameworkCore.Storage;

namespace Arviointi.Web.Tests.Infrastructure;

/// <summary>The app's SQL Server context, with the app's own SQL Server options, on a server that does not exist.</summary>
internal static class SqlServerContext
{
    public static SqlServerAppDbContext Create(params IInterceptor[] interceptors)
    {
        var options = new DbContextOptionsBuilder<SqlServerAppDbContext>();
        options.UseArviointiSqlServer("Server=unused;Database=Arviointi;TrustServerCertificate=True").AddInterceptors(interceptors);
        return new(options.Options);
    }
}

/// <summary>
/// Translates every query the app compiles on SQLite for SQL Server too, with the parameter values the app ran it with,
/// and keeps the SQL or the reason SQL Server cannot run it. Nothing is sent anywhere: the SQL Server connection is
/// never opened and its commands return nothing.
/// </summary>
internal sealed class SqlServerTranslationCheck : IQueryExpressionInterceptor
{
    private static readonly MethodInfo RunMethod = typeof(SqlServerTranslationCheck).GetMethod(nameof(Run), BindingFlags.NonPublic | BindingFlags.Static)!;

    // One instance: EF Core builds its internal services (and cache of compiled queries) anew for each query interceptor
    // instance, and refuses more than twenty.
    private static readonly SqlServerTranslationCheck Instance = new();

    private static long spent;

    private SqlServerTranslationCheck() => AppDomain.CurrentDomain.ProcessExit += (_, _) => Summarise();

    /// <summary>Every distinct query of the test run by its LINQ text, translated once.</summary>
    public static ConcurrentDictionary<string, SqlServerTranslation> Translations { get; } = new();

    /// <summary>
    /// Checks the app's SQLite context: a query SQL Server cannot translate throws, and goes to the app's <see cref="UntranslatedQueries"/>.
    /// The query context factory lets the check read the values a query runs with: they are extracted just before it is compiled.
    /// </summary>
    public static void Configure(DbContextOptionsBuilder options) =>
        options.AddInterceptors(Instance).ReplaceService<IQueryContextFactory, LastQueryContextFactory>();

    public Expression QueryCompilationStarting(Expression queryExpression, QueryExpressionEventData eventData)
    {
        if (eventData.Context is not { } context)
        {
            return queryExpression;
        }

        var linq = queryExpression.Print();
        if (!Translations.TryGetValue(linq, out var translation))
        {
            var started = Stopwatch.GetTimestamp();
            var values = (context.GetService<IQueryContextFactory>() as LastQueryContextFactory)?.Last?.Parameters;
            translation = Translations.GetOrAdd(linq, Translate(queryExpression, values ?? new Dictionary<string, object?>(), linq, CallSite()));
            Interlocked.Add(ref spent, Stopwatch.GetElapsedTime(started).Ticks);
        }

        if (translation.Error is null)
        {
            return queryExpression;
        }

        // The query fails as it would on SQL Server in production; should the app catch that, the factory tells it at its end.
        context.GetService<UntranslatedQueries>().Add(translation);
        throw new InvalidOperationException($"SQL Server cannot translate this query, which SQLite runs: {translation}");
    }

    /// <summary>What SQL Server makes of a query SQLite compiles: its SQL, or the reason it has none.</summary>
    private static SqlServerTranslation Translate(Expression query, Dictionary<string, object?> values, string linq, string callSite)
    {
        var commands = new List<string>();
        try
        {
            using var db = SqlServerContext.Create(new NeverConnected(commands));
            var sqlServerQuery = new SqlServerRoots(db.Model).Visit(query);
            var queryContext = db.GetService<IQueryContextFactory>().Create();
            foreach (var parameter in QueryParameters.In(sqlServerQuery))
            {
                // A compiled query (EF.CompileAsyncQuery) is compiled before its first values exist.
                queryContext.Parameters[parameter.Name] = values.TryGetValue(parameter.Name, out var value) ? value
                    : parameter.Type.IsValueType ? Activator.CreateInstance(parameter.Type) : null;
            }

            // As EF Core runs it: a sequence is enumerated, anything else (First, Count, ExecuteUpdate) is the result.
            var sequence = query.Type.GetInterfaces().Prepend(query.Type).FirstOrDefault(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IQueryable<>));
            var resultType = sequence is null ? query.Type : typeof(IEnumerable<>).MakeGenericType(sequence.GetGenericArguments());
            RunMethod.MakeGenericMethod(resultType).Invoke(null, BindingFlags.DoNotWrapExceptions, null, [db, sqlServerQuery, queryContext], null);
        }
        catch (Exception e)
        {
            // Once the SQL is made, reading the empty stand-in result (of a First or Single) may fail, as it should.
            if (commands.Count == 0)
            {
                return new(linq, callSite, null, e.Message);
            }
        }

        return new(linq, callSite, string.Join(";\n", commands), null);
    }

    private static void Run<TResult>(DbContext db, Expression query, QueryContext queryContext)
    {
        var result = db.GetService<IDatabase>().CompileQuery<TResult>(query, async: false)(queryContext);
        if (result is IEnumerable rows)
        {
            foreach (var _ in rows)
            {
                break;
            }
        }
    }

    /// <summary>The innermost method of the app (or of a test) that started the query.</summary>
    private static string CallSite()
    {
        // <>n__0 is the compiler's call of a base method (Identity's), which names nothing.
        var method = new StackTrace().GetFrames().Select(f => f.GetMethod()).FirstOrDefault(m =>
            m?.DeclaringType is { } type && type != typeof(SqlServerTranslationCheck) && !m.Name.StartsWith("<>", StringComparison.Ordinal)
            && type.Assembly.GetName().Name!.StartsWith("Arviointi.", StringComparison.Ordinal));
        if (method is null)
        {
            return "(unknown)";
        }

        // An async method runs in its state machine <Name>d__0, a lambda is <Name>b__0 in a closure class: name the method.
        var (owner, name) = (method.DeclaringType!, method.Name);
        while (owner.Name.Contains('<', StringComparison.Ordinal) && owner.DeclaringType is { } outer)
        {
            name = owner.Name.StartsWith("<>", StringComparison.Ordinal) ? name : owner.Name;
            owner = outer;
        }

        name = name.TrimStart('<');
        return $"{owner.FullName}.{name[..(name.IndexOf('>', StringComparison.Ordinal) is var end and >= 0 ? end : name.Length)]}";
    }

    /// <summary>The count at the end of the run, and every translation beside the test binaries.</summary>
    private static void Summarise()
    {
        var all = Translations.Values.OrderBy(t => t.CallSite, StringComparer.Ordinal).ThenBy(t => t.Linq, StringComparer.Ordinal).ToList();
        var failed = all.Count(t => t.Error is not null);
        File.WriteAllLines(
            Path.Combine(AppContext.BaseDirectory, "sqlserver-queries.sql"),
            all.Select(t => $"-- {t.CallSite}\n-- {t.Linq.ReplaceLineEndings("\n-- ")}\n{t.Sql ?? "-- NOT TRANSLATED: " + t.Error}\n"));
        var fromTests = all.Count(t => t.CallSite.StartsWith("Arviointi.Web.Tests.", StringComparison.Ordinal));
        Console.WriteLine(
            $"SQL Server translated {all.Count - failed} distinct queries ({all.Count - fromTests} run by the app, {fromTests} by the tests' own checks), "
            + $"{failed} could not be translated ({TimeSpan.FromTicks(spent).TotalSeconds:0.0} s); all in sqlserver-queries.sql beside the test binaries.");
    }

    /// <summary>The query context EF Core made last for this context, holding the values of the query it is compiling.</summary>
    private sealed class LastQueryContextFactory(QueryContextDependencies dependencies, RelationalQueryContextDependencies relational) : IQueryContextFactory
    {
        public QueryContext? Last { get; private set; }

        public QueryContext Create() => Last = new RelationalQueryContext(dependencies, relational);
    }

    /// <summary>Points each query root at the SQL Server model's entity type of the same name.</summary>
    private sealed class SqlServerRoots(IModel model) : ExpressionVisitor
    {
        protected override Expression VisitExtension(Expression node) => node is EntityQueryRootExpression root
            ? root.UpdateEntityType(model.FindEntityType(root.EntityType.Name) ?? throw new InvalidOperationException($"{root.EntityType.Name} is not in the SQL Server model."))
            : base.VisitExtension(node);
    }

    /// <summary>The parameters a query takes its values from.</summary>
    private sealed class QueryParameters : ExpressionVisitor
    {
        private readonly List<QueryParameterExpression> found = [];

        public static List<QueryParameterExpression> In(Expression query)
        {
            var visitor = new QueryParameters();
            visitor.Visit(query);
            return visitor.found;
        }

        protected override Expression VisitExtension(Expression node)
        {
            if (node is QueryParameterExpression parameter)
            {
                found.Add(parameter);
            }

            return base.VisitExtension(node);
        }
    }

    /// <summary>Opens nothing and answers every command with no rows, keeping the SQL it was given.</summary>
    private sealed class NeverConnected(List<string> commands) : IDbConnectionInterceptor, IDbCommandInterceptor
    {
        public InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result) =>
            InterceptionResult.Suppress();

        public InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            commands.Add(command.CommandText);
            return InterceptionResult<DbDataReader>.SuppressWithResult(new DataTable().CreateDataReader());
        }

        public InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
        {
            commands.Add(command.CommandText);
            return InterceptionResult<object>.SuppressWithResult(DBNull.Value);
        }

        public InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
        {
            commands.Add(command.CommandText);
            return InterceptionResult<int>.SuppressWithResult(0);
        }
    }
}

/// <summary>The queries one app ran that SQL Server could not translate.</summary>
internal sealed class UntranslatedQueries
{
    private readonly ConcurrentQueue<SqlServerTranslation> queries = new();

    public void Add(SqlServerTranslation query) => queries.Enqueue(query);

    /// <summary>Those not yet told, so each is told once.</summary>
    public List<SqlServerTranslation> Take()
    {
        var taken = new List<SqlServerTranslation>();
        while (queries.TryDequeue(out var query))
        {
            taken.Add(query);
        }

        return taken.Distinct().ToList();
    }
}

/// <summary>One distinct query: where the app ran it, its LINQ, and its SQL Server SQL or why there is none.</summary>
internal sealed record SqlServerTranslation(string Linq, string CallSite, string? Sql, string? Error)
{
    public override string ToString() => $"{CallSite}\n{Linq}\n{Sql ?? Error}";
}
