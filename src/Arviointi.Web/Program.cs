using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Answering;
using Arviointi.Web.Features.Demo;
using Arviointi.Web.Features.Export;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Results;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Features.Shared;
using Arviointi.Web.Features.Surveys;
using Arviointi.Web.Features.Tokens;
using Arviointi.Web.Jobs;
using Hangfire;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.WebEncoders;

var builder = WebApplication.CreateBuilder(args);

// Time: the system clock; a rehearsal moves it by a file and runs the jobs on each move (Jobs/Rehearsal.cs), never in production.
if (builder.Configuration.GetSection("Rehearsal").Get<RehearsalOptions>()?.ClockFile is { } clockFile)
{
    if (builder.Environment.IsProduction())
    {
        throw new InvalidOperationException("Rehearsal:ClockFile is for rehearsals and tests: it cannot be set in Production.");
    }

    builder.Services.AddSingleton(new FileClock(clockFile));
    builder.Services.AddSingleton<TimeProvider>(sp => sp.GetRequiredService<FileClock>());
    builder.Services.AddHostedService<RehearsalPulse>();
}

// Database: SQLite file by default, SQL Server when configured; keys for cookies live in it so instances share them,
// encrypted with a certificate outside development. The answering keys are never in it (docs/storage.md).
var database = builder.Services.AddArviointiDatabase(builder.Configuration, builder.Environment.ContentRootPath);
builder.Services.AddArviointiDataProtection(builder.Configuration, builder.Environment);
builder.Services.AddAnsweringKeys(builder.Environment, database.DataFolderPath);

// Identity: staff accounts with roles scoped to a municipality or unit, personal API tokens for the export; respondents never have accounts.
builder.Services.AddIdentity<AppUser, IdentityRole>(o =>
    {
        o.Password.RequiredLength = 12;
        o.Lockout.MaxFailedAccessAttempts = 5;
        o.User.RequireUniqueEmail = false;
    })
    .AddEntityFrameworkStores<AppDbContext>()
    .AddClaimsPrincipalFactory<AppClaimsPrincipalFactory>()
    .AddDefaultTokenProviders();
builder.Services.AddStaffSessions(builder.Configuration, builder.Environment);
builder.Services.AddScoped<DecoyPassword>();
builder.Services.ConfigureApplicationCookie(o =>
{
    o.LoginPath = "/kirjaudu";
    o.Cookie.Name = "arviointi-kirjautuminen";
    // A page outside one's scope answers 403 with a Finnish explanation, not a redirect.
    o.Events.OnRedirectToAccessDenied = context =>
    {
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    };
    o.Events.OnRedirectToLogin = context =>
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }

        return Task.CompletedTask;
    };
});
builder.Services.AddApiTokens();
// Invitation and password-reset links by e-mail (Invitations:Lifetime, PasswordReset:Lifetime).
builder.Services.AddAccountInvitations();
// Sign-in with a municipality's own identity provider (Entra ID), one OpenID Connect scheme per configured municipality.
builder.Services.AddMunicipalSignIn(builder.Configuration, builder.Environment);
builder.Services.AddAuthorizationBuilder().AddArviointiPolicies();
builder.Services.AddSingleton<IAuthorizationHandler, UnitScopeHandler>();
builder.Services.AddSingleton<IAuthorizationHandler, MunicipalityScopeHandler>();

// Options and the services of the features.
builder.Services.AddOptions<SurveyOptions>().BindConfiguration("Surveys");
builder.Services.AddOptions<DemoOptions>().BindConfiguration("Demo");
builder.Services.AddOptions<BootstrapOptions>().BindConfiguration("Bootstrap");
builder.Services.TryAddSingleton(TimeProvider.System);
builder.Services.AddSingleton<SurveyCatalog>();
builder.Services.AddScoped<AnsweringService>();
builder.Services.AddSingleton<AnsweringCache>();
builder.Services.AddSingleton<AnswerWriter>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<AnswerWriter>());
builder.Services.AddScoped<SnapshotBuilder>();
builder.Services.AddScoped<Arviointi.Web.Features.OpenAnswers.OpenAnswerReader>();
builder.Services.AddScoped<Arviointi.Web.Features.Results.Publication.DisclosureAuditor>();
// Parsed result snapshots, at most 20 rounds: pages and their charts read the same snapshot many times.
builder.Services.AddMemoryCache(o => o.SizeLimit = 20);
builder.Services.AddScoped<RoundReconciler>();
builder.Services.AddScoped<DemoSeeder>();
builder.Services.AddScoped<RoundAdmin>();
builder.Services.AddOptions<RoundOptions>().BindConfiguration("Rounds");
builder.Services.AddScoped<Arviointi.Web.Features.Codes.CodeBatches>();
builder.Services.AddOptions<Arviointi.Web.Features.Codes.CodeOptions>().BindConfiguration("Codes");
builder.Services.AddScoped<ResultsQueries>();
builder.Services.AddScoped<Arviointi.Web.Features.ResponseRates.EnrolmentImport>();
builder.Services.AddScoped<Arviointi.Web.Features.Organisation.UnitRegister>();
builder.Services.AddScoped<Arviointi.Web.Features.Organisation.UnitImport>();
builder.Services.AddScoped<Arviointi.Web.Features.ResponseRates.ResponseRateRecorder>();
builder.Services.AddScoped<Arviointi.Web.Features.ResponseRates.ResponseRateQueries>();
builder.Services.AddHttpContextAccessor();
builder.Services.AddSingleton<AnswerSession>();
builder.Services.AddScoped<DraftStore>();
builder.Services.AddScoped<PendingResponses>();
builder.Services.AddOptions<GuessGuardOptions>().BindConfiguration("Answering:Guessing");
builder.Services.AddSingleton<GuessGuard>();
builder.Services.AddScoped<AnsweringContextLoader>();
builder.Services.AddOptions<Arviointi.Web.Features.Notifications.MailOptions>().BindConfiguration("Mail");
builder.Services.AddOptions<Arviointi.Web.Features.Notifications.ReminderOptions>().BindConfiguration("Reminders")
    .Validate(o => o.Points.Count <= Arviointi.Web.Features.Notifications.ReminderOptions.MaxPoints, "Reminders:Points: at most three reminder points.")
    .Validate(o => o.Threshold is > 0 and <= 1, "Reminders:Threshold must be a share between 0 and 1.")
    .ValidateOnStart();
builder.Services.AddScoped<Arviointi.Web.Features.Notifications.NotificationPlanner>();
builder.Services.AddScoped<Arviointi.Web.Features.Notifications.MailSender>();
builder.Services.AddScoped<JobHealth>();
builder.Services.AddScoped<Arviointi.Web.Features.Home.AdminWarnings>();
builder.Services.AddScoped<Arviointi.Web.Features.YearView.YearPlans>();

// Scheduling: Hangfire on SQL Server shares jobs across instances; the embedded default keeps them in memory.
builder.Services.AddHangfire(config =>
{
    config.SetDataCompatibilityLevel(CompatibilityLevel.Version_180).UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings();
    if (!builder.Configuration.GetValue("Jobs:Logging", true))
    {
        // Hangfire's log provider is process-wide: hosts that come and go in one process (tests) must not share one.
        config.UseLogProvider(new SilentLogProvider());
    }

    if (database.Provider == DatabaseProvider.SqlServer)
    {
        config.UseSqlServerStorage(builder.Configuration.GetConnectionString("SqlServer"));
    }
    else
    {
        config.UseInMemoryStorage();
    }
});
if (builder.Configuration.GetValue("Jobs:RunServer", true))
{
    builder.Services.AddHangfireServer();
}

// Web: Razor Pages by feature folder, Finnish first with Swedish and English.
builder.Services.AddLocalization(o => o.ResourcesPath = "Resources");
builder.Services.AddRazorPages(o => o.RootDirectory = "/Features")
    .AddViewLocalization()
    .AddDataAnnotationsLocalization()
    .AddPageRequestRules();
builder.Services.Configure<ForwardedHeadersOptions>(o => o.ForwardedHeaders = ForwardedHeaders.XForwardedProto);
builder.Services.AddHealthChecks();
builder.Services.AddProblemDetails();
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new FiniteDoubleConverter()));
builder.WebHost.ConfigureKestrel(o => o.AddServerHeader = false);
builder.Services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));

var app = builder.Build();

var cultures = LanguageSwitch.Languages.Select(c => new CultureInfo(c)).ToList();
app.UseForwardedHeaders();
app.UseRequestLocalization(new RequestLocalizationOptions
{
    DefaultRequestCulture = new RequestCulture("fi"),
    SupportedCultures = cultures,
    SupportedUICultures = cultures,
    RequestCultureProviders = [RespondentLanguage.Provider, new QueryStringRequestCultureProvider(), new CookieRequestCultureProvider()],
});
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/virhe");
    app.UseHsts();
}

app.UseSecurityHeaders(app.Configuration);
app.UseStatusPages();
app.UseStaticFiles();
app.UseNoStore();
app.UseRouting();
app.UseAuthentication();
app.UseTwoFactorRequirement();
app.UseAuthorization();

app.MapRazorPages();
app.MapExport();
app.MapResultsApi();
app.MapResultCharts();
app.MapMunicipalityReport();
app.MapLanguageSwitch();
app.MapHealthChecks("/health");
// The dashboard checks the role itself too; the policy in front sends a signed-out visitor to sign in, as every page does.
app.MapHangfireDashboard("/hangfire", new DashboardOptions { Authorization = [new AdministratorDashboardFilter()], AppPath = "/" })
    .RequireAuthorization(Policies.Administrator);

await app.InitializeAsync();

// `--Generate:Respondents 60000 --Generate:Codes 20000`: region-scale data for benchmarks and the load run, then exit.
var generate = app.Configuration.GetSection("Generate").Get<GenerateOptions>() ?? new GenerateOptions();
if (generate.Requested)
{
    Console.WriteLine(await RegionGenerator.RunAsync(app.Services, generate));
    return;
}

Schedule.Register(app.Services.GetRequiredService<IRecurringJobManager>());
app.Lifetime.ApplicationStarted.Register(() => _ = SnapshotWarmup.RunAsync(app.Services, app.Lifetime.ApplicationStopping));

await app.RunAsync();

/// <summary>Entry point, public for the integration tests' WebApplicationFactory.</summary>
public partial class Program;
