using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Arviointi.Web.Tests.Infrastructure;

/// <summary>
/// Browser tests run one at a time and alone (no other collection beside them), to keep a small machine calm.
/// Every browser test class goes in this collection and takes <see cref="BrowserFixture"/> (or a subclass) as its class fixture.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserCollectionDefinition
{
    public const string Name = "Browser";
}

/// <summary>
/// The real app on Kestrel at a free loopback port (its own SQLite file, the test clock, no job server, as
/// <see cref="ArviointiFactory"/>), and one headless Chromium, the system's, for the whole test class.
/// No browser is ever downloaded: Playwright's driver comes inside its NuGet package and drives <c>/usr/bin/chromium</c>.
/// </summary>
public class BrowserFixture : ArviointiFactory, IAsyncLifetime
{
    /// <summary>Debian's Chromium; CI installs it when missing (.ci/run).</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>
    /// No sandbox (containers, root), no GPU, and nothing that reaches out on its own: on the closed network
    /// Chromium's own background connections are refused and would otherwise disturb the pages under test.
    /// </summary>
    public static readonly IReadOnlyList<string> ChromiumArgs =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ];

    /// <summary>WCAG 2.1 levels A and AA: what the accessibility requirements of Finnish public services refer to.</summary>
    public static readonly IReadOnlyList<string> WcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

    /// <summary>Contexts without JavaScript, where axe (a script in the page) cannot run: evaluating there never returns.</summary>
    private static readonly ConditionalWeakTable<IBrowserContext, object> NoScript = [];

    private readonly ConcurrentBag<IBrowserContext> contexts = [];
    private IPlaywright? playwright;
    private IBrowser? browser;
    private Uri? baseUrl;

    public BrowserFixture()
    {
        // Never fetch a browser, whatever a test or a tool tries; the driver looks for none when given an executable path.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
    }

    /// <summary>Where the app listens, e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri BaseUrl => baseUrl ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>An absolute address on the app for a path such as <c>/vastaa</c>.</summary>
    public string Url(string path) => new Uri(BaseUrl, path).ToString();

    /// <summary>
    /// A page in a fresh browser context (its own cookies) of the given viewport, relative URLs resolved against the app.
    /// Close it with <c>page.Context.CloseAsync()</c> when done; any left open close with the fixture.
    /// With <paramref name="touch"/>, a phone's: a touch screen (so <c>TapAsync</c> works) and the mobile viewport.
    /// </summary>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 800, bool javaScriptEnabled = true, bool touch = false)
    {
        var context = await Browser.NewContextAsync(new()
        {
            BaseURL = BaseUrl.ToString(),
            ViewportSize = new() { Width = width, Height = height },
            JavaScriptEnabled = javaScriptEnabled,
            Locale = "fi-FI",
            TimezoneId = "Europe/Helsinki",
            HasTouch = touch,
            IsMobile = touch,
        });
        context.SetDefaultTimeout(15_000);
        contexts.Add(context);
        if (!javaScriptEnabled)
        {
            NoScript.Add(context, new object());
        }

        return await context.NewPageAsync();
    }

    /// <summary>
    /// Waits until the page has left <paramref name="before"/> (as <paramref name="sameAddress"/> compares addresses;
    /// exact match by default) and, where the page has JavaScript, until the new document has loaded.
    /// Polls instead of waiting on Playwright's navigation events: <c>WaitForURLAsync</c> and <c>WaitForLoadStateAsync</c>
    /// check the state and then subscribe, and can miss an event that lands in between and wait out their timeout
    /// (microsoft/playwright-dotnet#3364), which a loaded CI machine hits now and then. Generous, for the same machine.
    /// </summary>
    public static async Task LeftAsync(IPage page, string before, Func<string, string, bool>? sameAddress = null)
    {
        ArgumentNullException.ThrowIfNull(page);
        sameAddress ??= string.Equals;
        var limit = TimeSpan.FromSeconds(45);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (sameAddress(page.Url, before))
        {
            if (waited.Elapsed > limit)
            {
                throw new TimeoutException($"The page stayed at {before} for {limit.TotalSeconds} s.");
            }

            await Task.Delay(50);
        }

        if (!NoScript.TryGetValue(page.Context, out _))
        {
            await page.WaitForFunctionAsync("() => document.readyState === 'complete'", null, new() { PollingInterval = 50, Timeout = (float)limit.TotalMilliseconds });
        }
    }

    /// <summary>
    /// Runs axe-core with the WCAG 2.1 A and AA rules on the page as it is now, and fails listing every violation.
    /// Axe runs as a script in the page, so the page needs JavaScript: check the same markup in a page that has it.
    /// </summary>
    public static async Task AssertNoAxeViolationsAsync(IPage page, string what)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (NoScript.TryGetValue(page.Context, out _))
        {
            throw new InvalidOperationException($"axe cannot run on {what}: its page was opened with JavaScript disabled.");
        }

        // Playwright's evaluate has no timeout of its own: a page that never answers fails the test instead of stalling the run.
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. WcagTags] },
        }).WaitAsync(TimeSpan.FromSeconds(60));
        if (result.Violations.Length == 0)
        {
            return;
        }

        var report = new StringBuilder().Append(CultureInfo.InvariantCulture, $"axe found {result.Violations.Length} WCAG 2.1 A/AA violation(s) on {what} ({page.Url}):");
        foreach (var violation in result.Violations)
        {
            report.Append(CultureInfo.InvariantCulture, $"\n- {violation.Id} ({violation.Impact}): {violation.Help} [{violation.HelpUrl}]");
            foreach (var node in violation.Nodes)
            {
                report.Append(CultureInfo.InvariantCulture, $"\n    at {node.Target}: {node.Html}");
            }
        }

        Assert.Fail(report.ToString());
    }

    /// <summary>Fails when the page is wider than its viewport, i.e. scrolls sideways (WCAG 1.4.10 reflow); wide tables scroll in their own region.</summary>
    public static async Task AssertNoSidewaysScrollingAsync(IPage page, string what)
    {
        ArgumentNullException.ThrowIfNull(page);
        var width = page.ViewportSize?.Width ?? throw new InvalidOperationException("The page has no fixed viewport.");
        var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= width, $"{what} ({page.Url}) scrolls sideways at {width} px: the document is {scrollWidth} px wide.");
    }

    /// <summary>Axe (WCAG 2.1 A and AA) and no sideways scrolling, on a phone and on a desktop, the same page resized.</summary>
    public static async Task AssertAccessibleAtBothWidthsAsync(IPage page, string what)
    {
        ArgumentNullException.ThrowIfNull(page);
        foreach (var width in new[] { 360, 1280 })
        {
            await page.SetViewportSizeAsync(width, 800);
            await AssertNoAxeViolationsAsync(page, $"{what} at {width} px");
            await AssertNoSidewaysScrollingAsync(page, $"{what} at {width} px");
        }
    }

    /// <summary>Clicks a form's button and waits for the new document, also when it has the old one's address.</summary>
    public static async Task SubmitAsync(IPage page, ILocator button)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(button);
        await page.EvaluateAsync("() => { window.arvioOldDocument = true; }");
        await button.ClickAsync();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (await page.EvaluateAsync<bool>("() => !window.arvioOldDocument && document.readyState === 'complete'"))
                {
                    return;
                }
            }
            catch (PlaywrightException)
            {
                // The old document went away while asked: the new one is on its way.
            }

            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(45), $"No new document after clicking on {page.Url}.");
            await Task.Delay(50);
        }
    }

    /// <summary>Fills the sign-in form the page was sent to and waits until it has moved on.</summary>
    public static async Task SignInAsync(IPage page, string user, string password)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GetByLabel("Käyttäjätunnus").FillAsync(user);
        await page.GetByLabel("Salasana").FillAsync(password);
        var before = page.Url;
        await page.GetByRole(AriaRole.Button, new() { Name = "Kirjaudu", Exact = true }).ClickAsync();
        await LeftAsync(page, before);
        var site = new Uri(page.Url).GetLeftPart(UriPartial.Authority);
        if (new Uri(page.Url).AbsolutePath == "/kirjaudu/kaksivaihe")
        {
            // The second step: the code the person's authenticator app shows now.
            await page.GetByLabel("Todennussovelluksen koodi").FillAsync(SecondFactor.Code(SecondFactor.KeyFor(site, user)));
            before = page.Url;
            await page.GetByRole(AriaRole.Button, new() { Name = "Kirjaudu", Exact = true }).ClickAsync();
            await LeftAsync(page, before);
        }
        else if (new Uri(page.Url).AbsolutePath == "/tili/kaksivaihe")
        {
            // A role that requires two factors, without an app yet: set it up as the page tells, then continue.
            var key = (await page.Locator("#authenticator-key").TextContentAsync())!.Trim();
            SecondFactor.Remember(site, user, key);
            await page.GetByLabel("Sovelluksen näyttämä koodi").FillAsync(SecondFactor.Code(key));
            await SubmitAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Ota käyttöön" }));
            await SubmitAsync(page, page.GetByRole(AriaRole.Link, new() { Name = "Jatka" }));
        }
    }

    /// <summary>Test data the class needs, made after the server has started; the default makes none.</summary>
    protected virtual Task SeedAsync() => Task.CompletedTask;

    /// <summary>Runs before the app starts: for services the app's configuration points at (a test's own identity provider).</summary>
    protected virtual Task BeforeServerStartsAsync() => Task.CompletedTask;

    private IBrowser Browser => browser ?? throw new InvalidOperationException("The browser has not started.");

    async Task IAsyncLifetime.InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"Browser tests need Debian's Chromium at {ChromiumPath} (apt-get install chromium); .ci/run installs it.");
        }

        await BeforeServerStartsAsync();
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        baseUrl = new Uri(addresses.Single().TrimEnd('/') + "/");

        // Web-first assertions poll; on a loaded 2-core CI machine a post and its redirect can take longer than their default 5 s.
        Assertions.SetDefaultExpectTimeout(15_000);
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
        await SeedAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        foreach (var context in contexts)
        {
            await context.CloseAsync();
        }

        if (browser is not null)
        {
            await browser.CloseAsync();
        }

        playwright?.Dispose();
        await DisposeAsync();
    }
}
