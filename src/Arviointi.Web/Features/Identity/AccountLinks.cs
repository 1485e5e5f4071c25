using Microsoft.AspNetCore.Http;

namespace Arviointi.Web.Features.Identity;

/// <summary>What the pages behind a mailed link share.</summary>
internal static class AccountLinks
{
    /// <summary>The link's token is in the address: no other site may see it as a referrer, and no cache may keep the page.</summary>
    public static void KeepTokenPrivate(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers.CacheControl = "no-store";
        response.Headers["Referrer-Policy"] = "no-referrer";
    }
}
