using Arviointi.Web.Features.Answering;
using Arviointi.Web.Features.Audit;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Organisation;
using Arviointi.Web.Features.Results;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Features.Surveys;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Arviointi.Web.Data;

/// <summary>
/// The one model of Arviointi. Each provider has a subclass with its own migrations:
/// <c>dotnet ef migrations add NAME --project src/Arviointi.Web --context SqliteAppDbContext --output-dir Data/Migrations/Sqlite</c>
/// and the same with <c>SqlServerAppDbContext</c> and <c>Data/Migrations/SqlServer</c>.
/// </summary>
internal abstract class AppDbContext(DbContextOptions options)
    : IdentityDbContext<AppUser, IdentityRole, string>(options), IDataProtectionKeyContext
{
    public DbSet<Municipality> Municipalities => Set<Municipality>();
    public DbSet<Unit> Units => Set<Unit>();
    public DbSet<UnitNameChange> UnitNameChanges => Set<UnitNameChange>();
    public DbSet<SurveyVersion> SurveyVersions => Set<SurveyVersion>();
    public DbSet<EvaluationRound> Rounds => Set<EvaluationRound>();
    public DbSet<RoundSurvey> RoundSurveys => Set<RoundSurvey>();
    public DbSet<AccessCode> AccessCodes => Set<AccessCode>();
    public DbSet<Response> Responses => Set<Response>();
    public DbSet<OpenTextAnswer> OpenTextAnswers => Set<OpenTextAnswer>();
    public DbSet<PendingResponse> PendingResponses => Set<PendingResponse>();
    public DbSet<Submission> Submissions => Set<Submission>();
    public DbSet<Draft> Drafts => Set<Draft>();
    public DbSet<Features.Codes.CodeBatch> CodeBatches => Set<Features.Codes.CodeBatch>();
    public DbSet<ResultSnapshot> ResultSnapshots => Set<ResultSnapshot>();
    public DbSet<ResultSnapshotPart> ResultSnapshotParts => Set<ResultSnapshotPart>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<Features.Tokens.ApiToken> ApiTokens => Set<Features.Tokens.ApiToken>();
    public DbSet<Features.ResponseRates.Enrolment> Enrolments => Set<Features.ResponseRates.Enrolment>();
    public DbSet<Features.ResponseRates.ResponseRateSnapshot> ResponseRateSnapshots => Set<Features.ResponseRates.ResponseRateSnapshot>();
    public DbSet<Features.Notifications.OutgoingMail> OutgoingMails => Set<Features.Notifications.OutgoingMail>();
    public DbSet<Jobs.JobRun> JobRuns => Set<Jobs.JobRun>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
        builder.Entity<DataProtectionKey>().Property(k => k.FriendlyName).HasMaxLength(200);
    }
}

internal sealed class SqliteAppDbContext(DbContextOptions<SqliteAppDbContext> options) : AppDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite cannot order or compare DateTimeOffset text; store UTC instants as sortable integers.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}

internal sealed class SqlServerAppDbContext(DbContextOptions<SqlServerAppDbContext> options) : AppDbContext(options);
