using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Arviointi.Web.Features.Answering;

/// <summary>
/// The answering session lives only in the respondent's browser: an encrypted cookie holding the code's
/// row id and a random submission key. The server stores neither together, so nothing joins code and answer.
/// </summary>
internal sealed class AnswerSession(IDataProtectionProvider protection)
{
    public const string CookieName = "arviointi-vastaus";
    private readonly IDataProtector protector = protection.CreateProtector("Arviointi.Answering.Session.v1");

    public void Start(HttpResponse response, int codeId)
    {
        ArgumentNullException.ThrowIfNull(response);
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var payload = protector.Protect(string.Create(CultureInfo.InvariantCulture, $"{codeId}:{key}"));
        response.Cookies.Append(CookieName, payload, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = response.HttpContext.Request.IsHttps,
            IsEssential = true,
        });
    }

    public (int CodeId, string SubmissionKey)? Read(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Cookies.TryGetValue(CookieName, out var payload))
        {
            return null;
        }

        try
        {
            var parts = protector.Unprotect(payload).Split(':');
            return (int.Parse(parts[0], CultureInfo.InvariantCulture), parts[1]);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    public static void End(HttpResponse response) => response?.Cookies.Delete(CookieName);
}
