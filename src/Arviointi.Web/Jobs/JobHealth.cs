using Arviointi.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Arviointi.Web.Jobs;

/// <summary>How a scheduled job last went, kept in the database so every instance and the front page see the same.</summary>
internal sealed class JobRun
{
    public required string JobId { get; init; }
    public DateTimeOffset? LastSucceededAt { get; set; }
    public DateTimeOffset? LastFailedAt { get; set; }
    public int ConsecutiveFailures { get; set; }
    public string? LastError { get; set; }
}

internal sealed class JobRunConfiguration : IEntityTypeConfiguration<JobRun>
{
    public void Configure(EntityTypeBuilder<JobRun> builder)
    {
        builder.HasKey(r => r.JobId);
        builder.Property(r => r.JobId).HasMaxLength(100);
        builder.Property(r => r.LastError).HasMaxLength(1000);
    }
}

/// <summary>Records each run's outcome with single-statement updates, so runs on two servers count correctly.</summary>
internal sealed class JobHealth(AppDbContext db, TimeProvider time)
{
    public async Task SucceededAsync(string jobId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await EnsureAsync(jobId, ct);
        await db.JobRuns.Where(r => r.JobId == jobId)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.LastSucceededAt, now).SetProperty(r => r.ConsecutiveFailures, 0), ct);
    }

    public async Task FailedAsync(string jobId, Exception error, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(error);
        var now = time.GetUtcNow();
        var message = $"{error.GetType().Name}: {error.Message}";
        message = message.Length > 1000 ? message[..1000] : message;
        await EnsureAsync(jobId, ct);
        await db.JobRuns.Where(r => r.JobId == jobId)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.LastFailedAt, now).SetProperty(r => r.ConsecutiveFailures, r => r.ConsecutiveFailures + 1).SetProperty(r => r.LastError, message), ct);
    }

    private async Task EnsureAsync(string jobId, CancellationToken ct)
    {
        if (await db.JobRuns.AnyAsync(r => r.JobId == jobId, ct))
        {
            return;
        }

        db.JobRuns.Add(new JobRun { JobId = jobId });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another server added the row first.
            db.ChangeTracker.Clear();
        }
    }
}
