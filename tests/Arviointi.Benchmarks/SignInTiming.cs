using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Arviointi.Web.Features.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Arviointi.Benchmarks;

/// <summary>
/// `signin [N]`: the median time of N failed sign-ins of each kind — an unknown name, a wrong password, a locked account
/// — and of a successful one, interleaved so that the machine's noise falls on all alike, beside the bare sign-in page
/// in the same run. The kinds must not be told apart by time (docs/security.md).
/// </summary>
internal static partial class SignInTiming
{
    public static async Task RunAsync(int n)
    {
        var folder = Path.Combine(Path.GetTempPath(), "arviointi-signin-" + Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(folder);
        try
        {
            using var app = new BenchmarkApp(folder);
            using (var scope = app.Services.CreateScope())
            {
                var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
                for (var i = 0; i < n; i++)
                {
                    // One account per wrong password: five wrong ones would lock it.
                    await BenchmarkApp.AddUserAsync(scope.ServiceProvider, $"mittari.{i}", Roles.Director, "398");
                }

                await BenchmarkApp.AddUserAsync(scope.ServiceProvider, "mittari.oikea", Roles.Director, "398");
                await BenchmarkApp.AddUserAsync(scope.ServiceProvider, "mittari.lukittu", Roles.Director, "398");
                var locked = await users.FindByNameAsync("mittari.lukittu");
                await users.SetLockoutEndDateAsync(locked!, DateTimeOffset.UtcNow.AddYears(1));
            }

            var times = new Dictionary<string, List<double>> { ["page"] = [], ["unknown name"] = [], ["wrong password"] = [], ["locked account"] = [], ["right password"] = [] };
            for (var warm = 0; warm < 3; warm++)
            {
                await AttemptAsync(app, $"lammitys.{warm}", "Jokin-salasana-123");
            }

            for (var i = 0; i < n; i++)
            {
                times["page"].Add(await PageAsync(app));
                times["unknown name"].Add(await AttemptAsync(app, $"ei.ole.{i}", "Jokin-salasana-123"));
                times["wrong password"].Add(await AttemptAsync(app, $"mittari.{i}", "Väärä-salasana-123"));
                times["locked account"].Add(await AttemptAsync(app, "mittari.lukittu", BenchmarkApp.Password));
                times["right password"].Add(await AttemptAsync(app, "mittari.oikea", BenchmarkApp.Password, expectRedirect: true));
            }

            var wrong = Median(times["wrong password"]);
            Console.WriteLine(FormattableString.Invariant($"sign-in timing, {n} attempts of each kind, interleaved (medians):"));
            foreach (var (kind, list) in times)
            {
                var median = Median(list);
                Console.WriteLine(FormattableString.Invariant($"  {kind,-16} {median,8:F1} ms   ({median / wrong:F2} × wrong password)"));
            }
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task<double> PageAsync(BenchmarkApp app)
    {
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var watch = Stopwatch.StartNew();
        using var response = await client.GetAsync(new Uri("/kirjaudu", UriKind.Relative));
        await response.Content.ReadAsStringAsync();
        return watch.Elapsed.TotalMilliseconds;
    }

    private static async Task<double> AttemptAsync(BenchmarkApp app, string user, string password, bool expectRedirect = false)
    {
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var page = await client.GetStringAsync(new Uri("/kirjaudu", UriKind.Relative));
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = user,
            ["Password"] = password,
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(TokenPattern().Match(page).Groups[1].Value),
        });
        var watch = Stopwatch.StartNew();
        using var response = await client.PostAsync(new Uri("/kirjaudu", UriKind.Relative), form);
        await response.Content.ReadAsStringAsync();
        var elapsed = watch.Elapsed.TotalMilliseconds;
        if ((response.StatusCode == HttpStatusCode.Redirect) != expectRedirect)
        {
            throw new InvalidOperationException($"{user}: {(int)response.StatusCode}");
        }

        return elapsed;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
