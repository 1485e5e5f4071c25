using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Arviointi.Web.Features.Answering;

/// <summary>One respondent's answering session, as the browser holds it.</summary>
/// <param name="CodeId">Row of the access code, to consume it on submission.</param>
/// <param name="SubmissionKey">Random per session, so a repeated submission stores one response.</param>
/// <param name="DraftSecret">The personal code itself (so the same code resumes in another browser), or a random key for a group code (so the draft belongs to this browser).</param>
internal sealed record AnswerSessionState(int CodeId, string SubmissionKey, string DraftSecret);

/// <summary>
/// The answering session lives only in the respondent's browser, in an encrypted cookie. The server keeps
/// nothing that ties the code to the answers: the draft is found and decrypted only with the secret in here.
/// </summary>
internal sealed class AnswerSession(IDataProtectionProvider protection)
{
    public const string CookieName = "arviointi-vastaus";
    private readonly IDataProtector protector = protection.CreateProtector("Arviointi.Answering.Session.v2");

    public AnswerSessionState Start(HttpResponse response, AccessCode code, string normalizedCode)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(code);
        var state = new AnswerSessionState(
            code.Id,
            Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
            code.Kind == AccessCodeKind.Personal ? "code:" + normalizedCode : "browser:" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));
        var payload = protector.Protect(string.Create(CultureInfo.InvariantCulture, $"{state.CodeId}:{state.SubmissionKey}:{state.DraftSecret}"));
        response.Cookies.Append(CookieName, payload, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = response.HttpContext.Request.IsHttps,
            IsEssential = true,
        });
        return state;
    }

    public AnswerSessionState? Read(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Cookies.TryGetValue(CookieName, out var payload))
        {
            return null;
        }

        try
        {
            var parts = protector.Unprotect(payload).Split(':', 3);
            return new AnswerSessionState(int.Parse(parts[0], CultureInfo.InvariantCulture), parts[1], parts[2]);
        }
        catch (Exception e) when (e is CryptographicException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    public static void End(HttpResponse response) => response?.Cookies.Delete(CookieName);
}
