using System.Net;
using System.Text.RegularExpressions;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Identity;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Arviointi.Benchmarks;

/// <summary>The app as deployed on SQLite (pooled connections, production logging), without demo data or the job server.</summary>
internal sealed partial class BenchmarkApp : WebApplicationFactory<Program>
{
    public const string Password = "Johtajan-salasana-2026";

    private readonly string folder;

    public BenchmarkApp(string folder)
    {
        this.folder = folder;

        // The web project's folder, found from the solution, wherever the runner starts (BenchmarkDotNet's child
        // process or `dotnet run`): the factory's own guess looks for it beside the solution file.
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Arviointi.sln")))
        {
            root = root.Parent;
        }

        if (root is not null)
        {
            Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_ARVIOINTI_WEB", Path.Combine(root.FullName, "src", "Arviointi.Web"));
        }
    }

    /// <summary>A user of <paramref name="role"/> (of <paramref name="municipality"/>, for a director) with <see cref="Password"/>.</summary>
    public static async Task AddUserAsync(IServiceProvider services, string userName, string role, string? municipality = null)
    {
        var users = services.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = userName, DisplayName = userName, MunicipalityCode = municipality };
        Check(await users.CreateAsync(user, Password));
        Check(await users.AddToRoleAsync(user, role));
    }

    /// <summary>Signs <paramref name="client"/> in through the sign-in form (its cookies are kept by the client).</summary>
    public static async Task SignInAsync(HttpClient client, string userName)
    {
        var login = new Uri("/kirjaudu", UriKind.Relative);
        var page = await client.GetStringAsync(login);
        var token = WebUtility.HtmlDecode(TokenPattern().Match(page).Groups[1].Value);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = userName,
            ["Password"] = Password,
            ["__RequestVerificationToken"] = token,
        });
        using var response = await client.PostAsync(login, form);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Sign-in failed: {(int)response.StatusCode}");
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Sqlite", DatabaseSetup.SqliteConnectionString(folder));
        builder.UseSetting("Demo:Enabled", "false");
        builder.UseSetting("Jobs:RunServer", "false");
        builder.UseSetting("Jobs:Logging", "false");
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
