using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace Arviointi.Web.Tests.Infrastructure;

/// <summary>A cookie-keeping client that fills forms the way a browser does, antiforgery token included.</summary>
public sealed partial class Browser : IDisposable
{
    private readonly Func<CookieContainer, HttpClient> open;
    private readonly CookieContainer cookies;
    private readonly HttpClient client;

    public Browser(ArviointiFactory factory)
        : this(c => factory.CreateDefaultClient(new CookieContainerHandler(c)), new CookieContainer())
    {
    }

    /// <summary>A browser of an app running in its own process at <paramref name="site"/>.</summary>
    public Browser(Uri site)
        : this(c => new HttpClient(new CookieContainerHandler(c) { InnerHandler = new HttpClientHandler { AllowAutoRedirect = false } }) { BaseAddress = site }, new CookieContainer())
    {
    }

    private Browser(Func<CookieContainer, HttpClient> open, CookieContainer cookies)
    {
        this.open = open;
        this.cookies = cookies;
        client = open(cookies);
    }

    public HttpClient Client => client;

    public CookieContainer Cookies => cookies;

    /// <summary>The same browser closed and opened again: cookies with an expiry date kept, session cookies gone.</summary>
    public Browser Reopen()
    {
        var kept = new CookieContainer();
        foreach (var cookie in cookies.GetAllCookies().Where(c => c.Expires != DateTime.MinValue && !c.Expired))
        {
            kept.Add(cookie);
        }

        return new Browser(open, kept);
    }

    public static async Task<Browser> SignedInAsync(ArviointiFactory factory, string user, string password)
    {
        var browser = new Browser(factory);
        await browser.SignInAsync(user, password, factory.DataFolder);
        return browser;
    }

    /// <summary>
    /// Signs in as a person does: the password, then the authenticator app's code when the account has one, or setting
    /// the app up first when the role requires it (the key read from the page, remembered for <paramref name="site"/>).
    /// </summary>
    public async Task SignInAsync(string user, string password, string site)
    {
        using var response = await PostFormAsync("/kirjaudu", "/kirjaudu", new() { ["UserName"] = user, ["Password"] = password });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        if (location.StartsWith("/kirjaudu/kaksivaihe", StringComparison.Ordinal))
        {
            using var second = await PostFormAsync(location, location, new() { ["code"] = SecondFactor.Code(SecondFactor.KeyFor(site, user)) });
            Assert.True(second.StatusCode == HttpStatusCode.Redirect, $"The second factor of {user} was refused.");
            return;
        }

        using var home = await client.GetAsync(new Uri("/", UriKind.Relative));
        if (home.StatusCode == HttpStatusCode.Redirect && home.Headers.Location!.OriginalString.StartsWith("/tili/kaksivaihe", StringComparison.Ordinal))
        {
            var (_, html) = await GetAsync("/tili/kaksivaihe");
            var key = KeyPattern().Match(html).Groups[1].Value;
            Assert.False(string.IsNullOrEmpty(key), "The set-up page shows no key.");
            using var enabled = await PostFormFromAsync(html, "/tili/kaksivaihe?handler=Enable", new() { ["code"] = SecondFactor.Code(key) });
            Assert.Contains("id=\"recovery-codes\"", await enabled.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            SecondFactor.Remember(site, user, key);
        }
    }

    public async Task<(HttpStatusCode Status, string Html)> GetAsync(string url)
    {
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Loads <paramref name="formPage"/>, takes its antiforgery token and posts the fields to <paramref name="action"/>.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string formPage, string action, Dictionary<string, string> fields, IEnumerable<KeyValuePair<string, string>>? extra = null)
    {
        var (_, html) = await GetAsync(formPage);
        Assert.True(TokenPattern().IsMatch(html), $"No antiforgery token on {formPage}");
        return await PostFormFromAsync(html, action, fields, extra);
    }

    /// <summary>Posts a form of a page the browser already shows (its token), as after leaving a page open.</summary>
    public async Task<HttpResponseMessage> PostFormFromAsync(string html, string action, Dictionary<string, string> fields, IEnumerable<KeyValuePair<string, string>>? extra = null)
    {
        var all = fields.Concat(extra ?? []).Append(new("__RequestVerificationToken", TokenIn(html)));
        using var content = new FormUrlEncodedContent(all);
        return await client.PostAsync(new Uri(action, UriKind.Relative), content);
    }

    /// <summary>The antiforgery token of the form on a page, as a browser would post it.</summary>
    public static string TokenIn(string html) => WebUtility.HtmlDecode(TokenPattern().Match(html).Groups[1].Value);

    public void Dispose() => client.Dispose();

    [GeneratedRegex("id=\"authenticator-key\">([a-z2-7 ]+)<")]
    private static partial Regex KeyPattern();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
