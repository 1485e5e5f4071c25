using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Arviointi.Web.Features.Answering;

/// <summary>One respondent's answering session, as the browser holds it.</summary>
/// <param name="CodeId">Row of the access code, to consume it on submission.</param>
/// <param name="SubmissionKey">Random per session, so a repeated submission stores one response.</param>
/// <param name="DraftSecret">For a personal code, the code keyed with this browser's own random secret (so the same code resumes in this browser and nowhere else); for a group code, a random key of the session (so two pupils at one tablet never share a draft).</param>
internal sealed record AnswerSessionState(int CodeId, string SubmissionKey, string DraftSecret)
{
    /// <summary>A group code's session: its draft secret is random, so no other session (the next child's) can find its draft.</summary>
    public bool IsGroup => DraftSecret.StartsWith(AnswerSession.GroupSecretPrefix, StringComparison.Ordinal);
}

/// <summary>
/// The answering session lives only in the respondent's browser, in an encrypted cookie. The server keeps
/// nothing that ties the code to the answers: the draft is found and decrypted only with the secret in here.
/// That secret needs the browser's own random secret (a long-lived cookie the server never stores) as well as the
/// code, so whoever holds a code list cannot open anyone's unsent answers, and a draft resumes only in its browser.
/// A group code is also remembered by this browser (its row, not the code) until the browser closes, so the adult of a
/// child group starts the next child without typing the code again; each child gets a session of its own.
/// </summary>
internal sealed class AnswerSession(IDataProtectionProvider protection, TimeProvider time)
{
    public const string CookieName = "arviointi-vastaus";
    public const string BrowserCookieName = "arviointi-selain";
    public const string GroupCookieName = "arviointi-ryhma";
    public const string GroupSecretPrefix = "session:";
    private const string GroupCookiePath = "/vastaa";

    /// <summary>Longer than any round, shorter than browsers' cap of 400 days.</summary>
    public static readonly TimeSpan BrowserSecretLifetime = TimeSpan.FromDays(180);

    private readonly IDataProtector protector = protection.CreateProtector("Arviointi.Answering.Session.v2");
    private readonly IDataProtector groupProtector = protection.CreateProtector("Arviointi.Answering.Group.v1");

    public AnswerSessionState Start(HttpContext http, AccessCode code, string normalizedCode)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(code);
        if (code.Kind == AccessCodeKind.Group)
        {
            return StartNextInGroup(http, code);
        }

        // Whoever answers with a personal code in a browser a group used is not offered that group's "next child".
        ForgetGroup(http.Response);
        return Begin(http, code, "browser-code:" + Convert.ToHexStringLower(HMACSHA256.HashData(BrowserSecret(http), System.Text.Encoding.UTF8.GetBytes(normalizedCode))));
    }

    /// <summary>
    /// A fresh session of a group code, for the group's next child: a new submission key and a new random draft secret,
    /// so nothing of an earlier child's session, sent or not, can be read in it.
    /// </summary>
    public AnswerSessionState StartNextInGroup(HttpContext http, AccessCode code)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(code);
        if (code.Kind != AccessCodeKind.Group)
        {
            throw new ArgumentException("Only a group code starts a next respondent without the code.", nameof(code));
        }

        http.Response.Cookies.Append(GroupCookieName, groupProtector.Protect(code.Id.ToString(CultureInfo.InvariantCulture)), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = http.Request.IsHttps,
            IsEssential = true,
            Path = GroupCookiePath,
        });
        return Begin(http, code, GroupSecretPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));
    }

    /// <summary>The group code this browser last answered with, as its row id; null when it has none (or the cookie is not ours).</summary>
    public int? RememberedGroup(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Cookies.TryGetValue(GroupCookieName, out var payload))
        {
            return null;
        }

        try
        {
            return int.TryParse(groupProtector.Unprotect(payload), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return null;
        }
    }

    public static void ForgetGroup(HttpResponse response) => response?.Cookies.Delete(GroupCookieName, new CookieOptions { Path = GroupCookiePath });

    private AnswerSessionState Begin(HttpContext http, AccessCode code, string draftSecret)
    {
        var state = new AnswerSessionState(code.Id, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), draftSecret);
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
