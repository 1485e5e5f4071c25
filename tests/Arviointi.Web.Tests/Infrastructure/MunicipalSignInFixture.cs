using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Arviointi.Web.Tests.Infrastructure;

/// <summary>
/// The real app on Kestrel at a loopback port with Lahti (398) and Hollola (098) configured for sign-in with their own
/// provider, both registered at one <see cref="TestOidcProvider"/> started first, on another loopback port. Heinola (111)
/// is configured with a client secret the provider does not accept, so its code exchange fails.
/// </summary>
public sealed class MunicipalSignInFixture : ArviointiFactory, IAsyncLifetime
{
    public const string LahtiClient = "arviointi-lahti";
    public const string HollolaClient = "arviointi-hollola";
    public const string HeinolaClient = "arviointi-heinola";
    private const string LahtiSecret = "lahden-salaisuus";
    private const string HollolaSecret = "hollolan-salaisuus";

    private TestOidcProvider? provider;
    private Uri? baseUrl;

    public MunicipalSignInFixture() => UseKestrel(o => o.Listen(IPAddress.Loopback, 0));

    internal TestOidcProvider Provider => provider ?? throw new InvalidOperationException("The provider has not started.");

    public Uri BaseUrl => baseUrl ?? throw new InvalidOperationException("The server has not started.");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        Configure(builder, Provider.Authority);
    }

    /// <summary>Lahti, Hollola and Heinola configured for their own provider at <paramref name="authority"/>.</summary>
    internal static void Configure(IWebHostBuilder builder, Uri authority)
    {
        foreach (var (code, client, secret, domain) in new[] { ("398", LahtiClient, LahtiSecret, "lahti.fi"), ("098", HollolaClient, HollolaSecret, "hollola.fi"), ("111", HeinolaClient, "vanhentunut-salaisuus", "heinola.fi") })
        {
            var key = $"Authentication:Municipalities:{code}:";
            builder.UseSetting(key + "Authority", authority.ToString());
            builder.UseSetting(key + "ClientId", client);
            builder.UseSetting(key + "ClientSecret", secret);
            builder.UseSetting(key + "AllowedEmailDomains:0", domain);
        }

        builder.UseSetting("Authentication:Municipalities:398:AllowedEmailDomains:1", "edu.lahti.fi");
    }

    /// <summary>The app registered at the provider as each municipality would register it, with the callback addresses of <paramref name="app"/>.</summary>
    internal static void RegisterClients(TestOidcProvider provider, Uri app)
    {
        provider.AddClient(LahtiClient, LahtiSecret, new Uri(app, "/signin-oidc-398").ToString());
        provider.AddClient(HollolaClient, HollolaSecret, new Uri(app, "/signin-oidc-098").ToString());
        provider.AddClient(HeinolaClient, "heinolan-uusi-salaisuus", new Uri(app, "/signin-oidc-111").ToString());
    }

    async Task IAsyncLifetime.InitializeAsync()
    {
        provider = await TestOidcProvider.StartAsync();
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        baseUrl = new Uri(address.TrimEnd('/') + "/");
        RegisterClients(Provider, BaseUrl);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        if (provider is not null)
        {
            await provider.DisposeAsync();
        }
    }
}

/// <summary>
/// A browser over real HTTP across two sites: follows redirects, keeps each site's cookies (Secure ones too, since the
/// test runs on plain http on loopback) and submits the provider's self-posting form_post page as a browser's script would.
/// </summary>
internal sealed partial class CrossSiteVisitor : IDisposable
{
    private readonly HttpClient client = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
    private readonly Dictionary<string, Dictionary<string, string>> cookies = new(StringComparer.Ordinal);

    /// <summary>Every address visited, in order.</summary>
    public List<Uri> Visited { get; } = [];

    public async Task<(HttpStatusCode Status, string Html, Uri Url)> GetAsync(Uri url) => await BrowseAsync(HttpMethod.Get, url, null);

    public async Task<(HttpStatusCode Status, string Html, Uri Url)> PostAsync(Uri url, IEnumerable<KeyValuePair<string, string>> fields) =>
        await BrowseAsync(HttpMethod.Post, url, fields);

    /// <summary>One request and all that follows from it by itself: redirects and self-posting forms, at most 12 steps.</summary>
    private async Task<(HttpStatusCode Status, string Html, Uri Url)> BrowseAsync(HttpMethod method, Uri url, IEnumerable<KeyValuePair<string, string>>? fields)
    {
        for (var step = 0; step < 12; step++)
        {
            using var request = new HttpRequestMessage(method, url);
            if (fields is not null)
            {
                request.Content = new FormUrlEncodedContent(fields);
            }

            if (cookies.TryGetValue(url.Authority, out var jar) && jar.Count > 0)
            {
                request.Headers.Add("Cookie", string.Join("; ", jar.Select(c => $"{c.Key}={c.Value}")));
            }

            Visited.Add(url);
            using var response = await client.SendAsync(request);
            Keep(url, response);
            var html = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                (method, url, fields) = (HttpMethod.Get, new Uri(url, location), null);
                continue;
            }

            if (response.StatusCode == HttpStatusCode.OK && SelfPostingForm().Match(html) is { Success: true } form)
            {
                (method, url) = (HttpMethod.Post, new Uri(url, WebUtility.HtmlDecode(form.Groups[1].Value)));
                fields = [.. HiddenInput().Matches(html).Select(m => new KeyValuePair<string, string>(WebUtility.HtmlDecode(m.Groups[1].Value), WebUtility.HtmlDecode(m.Groups[2].Value)))];
                continue;
            }

            return (response.StatusCode, html, url);
        }

        throw new InvalidOperationException("More than 12 redirects: " + string.Join(" → ", Visited));
    }

    private void Keep(Uri url, HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Set-Cookie", out var values))
        {
            return;
        }

        if (!cookies.TryGetValue(url.Authority, out var jar))
        {
            cookies[url.Authority] = jar = new Dictionary<string, string>(StringComparer.Ordinal);
        }

        foreach (var value in values)
        {
            var parts = value.Split(';', StringSplitOptions.TrimEntries);
            var separator = parts[0].IndexOf('=', StringComparison.Ordinal);
            var (name, content) = (parts[0][..separator], parts[0][(separator + 1)..]);
            var expired = parts.Any(p => p.StartsWith("expires=", StringComparison.OrdinalIgnoreCase)
                && DateTimeOffset.TryParse(p["expires=".Length..], System.Globalization.CultureInfo.InvariantCulture, out var expires) && expires < DateTimeOffset.UtcNow);
            if (expired || content.Length == 0)
            {
                jar.Remove(name);
            }
            else
            {
                jar[name] = content;
            }
        }
    }

    public void Dispose() => client.Dispose();

    /// <summary>A form_post response: a form that its page's script submits at once.</summary>
    [GeneratedRegex("""<form name="form" method="post" action="([^"]+)">(?=.*<script>document\.form\.submit\(\);</script>)""", RegexOptions.Singleline)]
    private static partial Regex SelfPostingForm();

    [GeneratedRegex("""<input type="hidden" name="([^"]*)" value="([^"]*)"\s*/?>""", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenInput();
}
