using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Arviointi.Web.Features.Answering;

/// <summary>One respondent's answering session, as the browser holds it.</summary>
/// <param name="CodeId">Row of the access code, to consume it on submission.</param>
/// <param name="SubmissionKey">Random per session, so a repeated submission stores one response.</param>
/// <param name="DraftSecret">For a personal code, the code keyed with this browser's own random secret (so the same code resumes in this browser and nowhere else); for a group code, a random key of the session (so two pupils at one tablet never share a draft).</param>
internal sealed record AnswerSessionState(int CodeId, string SubmissionKey, string DraftSecret);

/// <summary>
/// The answering session lives only in the respondent's browser, in an encrypted cookie. The server keeps
/// nothing that ties the code to the answers: the draft is found and decrypted only with the secret in here.
/// That secret needs the browser's own random secret (a long-lived cookie the server never stores) as well as the
/// code, so whoever holds a code list cannot open anyone's unsent answers, and a draft resumes only in its browser.
/// </summary>
internal sealed class AnswerSession(IDataProtectionProvider protection, TimeProvider time)
{
    public const string CookieName = "arviointi-vastaus";
    public const string BrowserCookieName = "arviointi-selain";

    /// <summary>Longer than any round, shorter than browsers' cap of 400 days.</summary>
    public static readonly TimeSpan BrowserSecretLifetime = TimeSpan.FromDays(180);

    private readonly IDataProtector protector = protection.CreateProtector("Arviointi.Answering.Session.v2");

    public AnswerSessionState Start(HttpContext http, AccessCode code, string normalizedCode)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(code);
        var state = new AnswerSessionState(
            code.Id,
            Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
            code.Kind == AccessCodeKind.Personal
                ? "browser-code:" + Convert.ToHexStringLower(HMACSHA256.HashData(BrowserSecret(http), System.Text.Encoding.UTF8.GetBytes(normalizedCode)))
                : "session:" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));
        var payload = protector.Protect(string.Create(CultureInfo.InvariantCulture, $"{state.CodeId}:{state.SubmissionKey}:{state.DraftSecret}"));
        http.Response.Cookies.Append(CookieName, payload, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = http.Request.IsHttps,
            IsEssential = true,
        });
        return state;
    }

    /// <summary>This browser's random secret, made on its first code and renewed with each; only ever combined with a code.</summary>
    private byte[] BrowserSecret(HttpContext http)
    {
        var secret = http.Request.Cookies.TryGetValue(BrowserCookieName, out var stored) && TryDecode(stored) is { } known
            ? known
            : RandomNumberGenerator.GetBytes(32);
        http.Response.Cookies.Append(BrowserCookieName, Convert.ToBase64String(secret), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = http.Request.IsHttps,
            IsEssential = true,
            Path = "/vastaa",
            Expires = time.GetUtcNow() + BrowserSecretLifetime,
        });
        return secret;
    }

    private static byte[]? TryDecode(string value)
    {
        var bytes = new byte[32];
        return Convert.TryFromBase64String(value, bytes, out var written) && written == 32 ? bytes : null;
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
