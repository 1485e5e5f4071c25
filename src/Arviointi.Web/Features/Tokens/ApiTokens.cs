using System.Security.Cryptography;
using System.Text;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Audit;
using Arviointi.Web.Features.Organisation;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace Arviointi.Web.Features.Tokens;

/// <summary>A token as its owner or an administrator sees it: never the token itself.</summary>
internal sealed record TokenRow(int Id, string Owner, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt)
{
    public bool IsActive(DateTimeOffset now) => RevokedAt is null && ExpiresAt > now;
}

/// <summary>What a presented token turned out to be: its row when it may be used, otherwise why not.</summary>
internal sealed record TokenCheck(ApiToken? Token, string? Refusal);

/// <summary>Makes, lists, revokes and checks personal API tokens; every change and every refusal is audited.</summary>
internal sealed class ApiTokens(AppDbContext db, TimeProvider time)
{
    /// <summary>Every token starts with this, so that one pasted into the wrong place (a log, a chat) is recognised.</summary>
    public const string Marker = "arv_";

    public const int DefaultDays = 90;
    public const int MaxDays = 365;
    public const int MaxNameLength = 100;
    public const string NameMissing = "Anna tunnukselle nimi.";
    public const string NameTooLong = "Nimi on liian pitkä.";
    public const string DaysOutOfRange = "Voimassaolo on 1–365 päivää.";

    /// <summary><see cref="Marker"/> and eight characters of the random part: enough to tell tokens apart, far too few to guess the rest.</summary>
    private const int PrefixLength = 12;

    /// <summary>
    /// SHA-256 of the token. A fast unsalted hash is enough here, unlike for passwords: the token is 32 random bytes
    /// (256 bits), so a copy of the database gives nothing to try a dictionary or brute force on, and a fixed hash
    /// lets the token be found with one indexed lookup.
    /// </summary>
    public static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>A new token for <paramref name="userId"/>: the token (shown once, never stored) and its row.</summary>
    public async Task<(string? Token, string? Error)> CreateAsync(string userId, string actor, string? name, int? days, CancellationToken ct)
    {
        name = name?.Trim() ?? "";
        if (name.Length == 0)
        {
            return (null, NameMissing);
        }

        if (name.Length > MaxNameLength)
        {
            return (null, NameTooLong);
        }

        if (days is not { } validity || validity is < 1 or > MaxDays)
        {
            return (null, DaysOutOfRange);
        }

        var token = Marker + WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow();
        var row = new ApiToken
        {
            UserId = userId,
            Name = name,
            Prefix = token[..PrefixLength],
            Hash = HashOf(token),
            CreatedAt = now,
            ExpiresAt = now.AddDays(validity),
        };
        db.ApiTokens.Add(row);
        Audit(actor, "token.created", $"API-tunnus {row.Prefix} ({name}) luotiin, voimassa {Region.LocalText(row.ExpiresAt)} asti");
        await db.SaveChangesAsync(ct);
        return (token, null);
    }

    /// <summary>The tokens of one user, or everyone's when <paramref name="ownerId"/> is null; newest first.</summary>
    public async Task<IReadOnlyList<TokenRow>> ListAsync(string? ownerId, CancellationToken ct) =>
        await db.ApiTokens.AsNoTracking()
            .Where(t => ownerId == null || t.UserId == ownerId)
            .OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id)
            .Select(t => new TokenRow(t.Id, t.User!.UserName!, t.Name, t.Prefix, t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt))
            .ToListAsync(ct);

    /// <summary>Revokes a token of <paramref name="ownerId"/>, or anyone's when null (an administrator). False if there is no such token.</summary>
    public async Task<bool> RevokeAsync(int id, string? ownerId, string actor, CancellationToken ct)
    {
        var token = await db.ApiTokens.Include(t => t.User).FirstOrDefaultAsync(t => t.Id == id && (ownerId == null || t.UserId == ownerId), ct);
        if (token is null)
        {
            return false;
        }

        if (token.RevokedAt is null)
        {
            token.RevokedAt = time.GetUtcNow();
            Audit(actor, "token.revoked", $"Käyttäjän {token.User!.UserName} API-tunnus {token.Prefix} ({token.Name}) peruttiin");
            await db.SaveChangesAsync(ct);
        }

        return true;
    }

    /// <summary>
    /// Looks a presented token up. A refusal is audited with the token's display prefix when the token is known and
    /// with nothing of it when it is not, so the log never holds a usable token or a guess at one.
    /// </summary>
    public async Task<TokenCheck> CheckAsync(string presented, CancellationToken ct)
    {
        var hash = presented.StartsWith(Marker, StringComparison.Ordinal) ? HashOf(presented) : null;
        var token = hash is null ? null : await db.ApiTokens.Include(t => t.User).FirstOrDefaultAsync(t => t.Hash == hash, ct);
        var now = time.GetUtcNow();
        var refusal = token switch
        {
            null => "API-tunnusta ei tunnistettu.",
            { RevokedAt: not null } => "API-tunnus on peruttu.",
            _ when token.ExpiresAt <= now => "API-tunnus on vanhentunut. Luo uusi tunnus sivulla /tili/tunnukset.",
            { User.LockoutEnabled: true, User.LockoutEnd: { } end } when end > now => "Käyttäjätili on lukittu.",
            _ => null,
        };
        if (refusal is not null)
        {
            await RefuseAsync(token, refusal, ct);
            return new TokenCheck(null, refusal);
        }

        // The time of last use only, never the address or what was downloaded (the export audits its downloads).
        await db.ApiTokens.Where(t => t.Id == token!.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), ct);
        return new TokenCheck(token, null);
    }

    private async Task RefuseAsync(ApiToken? token, string refusal, CancellationToken ct)
    {
        Audit(
            token?.User?.UserName ?? "?",
            "token.refused",
            token is null ? $"Tuntematon API-tunnus hylättiin: {refusal}" : $"API-tunnus {token.Prefix} ({token.Name}) hylättiin: {refusal}");
        await db.SaveChangesAsync(ct);
    }

    private void Audit(string actor, string action, string details) =>
        db.AuditEvents.Add(new AuditEvent { At = time.GetUtcNow(), Actor = actor, Action = action, Details = details });

    /// <summary>A token's state in a list, as a key of the UI texts.</summary>
    public static string StateName(TokenRow row, DateTimeOffset now) =>
        row.RevokedAt is not null ? "Peruttu" : row.ExpiresAt <= now ? "Vanhentunut" : "Voimassa";

    public static string Local(DateTimeOffset? instant) => instant is { } value ? Region.LocalText(value) : "–";
}

/// <summary>One list of tokens on the page: the own ones, or everyone's for an administrator.</summary>
internal sealed record TokenTable(string Caption, IReadOnlyList<TokenRow> Rows, DateTimeOffset Now, bool ShowOwner);
