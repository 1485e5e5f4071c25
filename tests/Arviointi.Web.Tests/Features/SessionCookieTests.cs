using Arviointi.Web.Features.Identity;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Arviointi.Web.Tests.Features;

/// <summary>The staff cookie as configured: Secure in production, lifetimes from settings with defaults an IT department accepts.</summary>
public sealed class SessionCookieTests
{
    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "Arviointi.Web";
        public string ContentRootPath { get; set; } = "/";
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }

    private static (CookieAuthenticationOptions Cookie, SecurityStampValidatorOptions Stamp) Configured(string environment, Dictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? []).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddStaffSessions(configuration, new Environment(environment));
        using var provider = services.BuildServiceProvider();
        return (provider.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme),
            provider.GetRequiredService<IOptions<SecurityStampValidatorOptions>>().Value);
    }

    [Fact]
    public void In_production_the_cookie_is_sent_only_over_https_and_never_to_scripts()
    {
        var (cookie, _) = Configured(Environments.Production);
        Assert.Equal(CookieSecurePolicy.Always, cookie.Cookie.SecurePolicy);
        Assert.True(cookie.Cookie.HttpOnly);
        Assert.Equal(SameSiteMode.Lax, cookie.Cookie.SameSite);
        Assert.Equal(CookieSecurePolicy.SameAsRequest, Configured(Environments.Development).Cookie.Cookie.SecurePolicy);
    }

    [Fact]
    public void By_default_a_session_slides_for_30_minutes_and_the_account_is_checked_on_every_request()
    {
        var (cookie, stamp) = Configured(Environments.Production);
        Assert.Equal(TimeSpan.FromMinutes(30), cookie.ExpireTimeSpan);
        Assert.True(cookie.SlidingExpiration);
        Assert.True(stamp.ValidationInterval < TimeSpan.Zero);

        var (configured, every5) = Configured(Environments.Production, new() { ["Sessions:Idle"] = "00:15:00", ["Sessions:StampCheckInterval"] = "00:05:00" });
        Assert.Equal(TimeSpan.FromMinutes(15), configured.ExpireTimeSpan);
        Assert.Equal(TimeSpan.FromMinutes(5), every5.ValidationInterval);
    }
}
