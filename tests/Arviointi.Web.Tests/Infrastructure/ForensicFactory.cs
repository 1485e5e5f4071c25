using System.Collections.Concurrent;
using System.Data.Common;
using Arviointi.Web.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Arviointi.Web.Tests.Infrastructure;

/// <summary>
/// The app with a witness that copies the SQLite write-ahead log right after every transaction the app commits, so a
/// test sees each transaction in the log as a copy taken at the worst moment would, before any checkpoint empties it.
/// </summary>
public sealed class ForensicFactory : ArviointiFactory
{
    public ForensicFactory()
    {
    }

    private ForensicFactory(string folder)
        : base(folder)
    {
    }

    /// <summary>Copies of the log taken after commits while <see cref="Recording"/> is on.</summary>
    public ConcurrentQueue<SqliteFiles> LogCopies { get; } = new();

    public bool Recording { get; set; }

    /// <summary>The app started again on a copy of this one's data folder taken now, as after the process was killed.</summary>
    public ForensicFactory CrashImage()
    {
        var folder = NewFolder();
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.EnumerateFiles(DataFolder))
        {
            using var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var target = File.Create(Path.Combine(folder, Path.GetFileName(file)));
            source.CopyTo(target);
        }

        return new ForensicFactory(folder);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.ConfigureDbContext<SqliteAppDbContext>(o => o.AddInterceptors(new CommitWitness(this))));
    }

    private sealed class CommitWitness(ForensicFactory factory) : DbTransactionInterceptor
    {
        public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Copy();

        public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Copy();
            return Task.CompletedTask;
        }

        private void Copy()
        {
            if (factory.Recording)
            {
                factory.LogCopies.Enqueue(SqliteFiles.CopyLog(factory.DatabasePath, $"commit {factory.LogCopies.Count + 1}"));
            }
        }
    }
}
