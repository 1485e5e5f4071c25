using System.Collections.Concurrent;
using Arviointi.Web.Features.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;

namespace Arviointi.Web.Tests.Infrastructure;

/// <summary>
/// The authenticator app of the tests: computes the codes an app would show (Otp.NET, RFC 6238, independent of Identity's
/// own implementation), for the test users' key or for a key a test read from the set-up page.
/// </summary>
public static class SecondFactor
{
    /// <summary>The key <see cref="TestData.UserAsync"/> gives administrators and analysts, as if they had set up their app.</summary>
    public const string TestKey = "ARVIOINTITESTIAVAINKAKSIVAIHEXYZ";

    private static readonly ConcurrentDictionary<(string Site, string User), string> Keys = new();

    /// <summary>The code an app shows now. Identity's authenticator tokens run on the real clock, not the test's.</summary>
    public static string Code(string key) => new Totp(Base32Encoding.ToBytes(key.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant())).ComputeTotp(DateTime.UtcNow);

    /// <summary>A key set up through the page on <paramref name="site"/>, for the next sign-in of the same user there.</summary>
    public static void Remember(string site, string user, string key) => Keys[(site, user)] = key;

    public static string KeyFor(string site, string user) => Keys.TryGetValue((site, user), out var key) ? key : TestKey;

    /// <summary>Gives <paramref name="user"/> the test key and turns two factors on, as the set-up page does.</summary>
    internal static async Task EnableAsync(IServiceProvider services, AppUser user)
    {
        var users = services.GetRequiredService<UserManager<AppUser>>();
        var store = (IUserAuthenticatorKeyStore<AppUser>)services.GetRequiredService<IUserStore<AppUser>>();
        await store.SetAuthenticatorKeyAsync(user, TestKey, CancellationToken.None);
        user.TwoFactorEnabled = true;
        var result = await users.UpdateAsync(user);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
    }
}
