using System.Net.Http.Headers;
using Arviointi.Web.Features.Tokens;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Arviointi.Web.Tests.Infrastructure;

/// <summary>Personal API tokens made through the app's own service, and clients that present them as a script does.</summary>
internal static class Tokens
{
    /// <summary>A token of <paramref name="userName"/>, valid <paramref name="days"/> days from the factory's clock.</summary>
    public static Task<string> CreateAsync(ArviointiFactory factory, string userName, int days = ApiTokens.DefaultDays) =>
        factory.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<Arviointi.Web.Data.AppDbContext>();
            var userId = await db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync();
            var (token, error) = await services.GetRequiredService<ApiTokens>().CreateAsync(userId, userName, "testi", days, CancellationToken.None);
            Assert.Null(error);
            return token!;
        });

    /// <summary>A client with no cookies that sends <c>Authorization: Bearer <paramref name="token"/></c> and follows no redirect.</summary>
    public static HttpClient Client(ArviointiFactory factory, string token)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
