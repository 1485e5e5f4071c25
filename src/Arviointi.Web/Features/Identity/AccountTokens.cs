using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Arviointi.Web.Features.Identity;

/// <summary>How long an invitation link works (section <c>Invitations</c>, key <c>Lifetime</c>; default seven days).</summary>
internal sealed class InvitationTokenOptions : DataProtectionTokenProviderOptions
{
    public InvitationTokenOptions()
    {
        Name = AccountTokens.Invitation;
        TokenLifespan = TimeSpan.FromDays(7);
    }

    public TimeSpan Lifetime
    {
        get => TokenLifespan;
        set => TokenLifespan = value;
    }
}

/// <summary>How long a password-reset link works (section <c>PasswordReset</c>, key <c>Lifetime</c>; default two hours).</summary>
internal sealed class PasswordResetTokenOptions : DataProtectionTokenProviderOptions
{
    public PasswordResetTokenOptions()
    {
        Name = AccountTokens.PasswordReset;
        TokenLifespan = TimeSpan.FromHours(2);
    }

    public TimeSpan Lifetime
    {
        get => TokenLifespan;
        set => TokenLifespan = value;
    }
}

/// <summary>
/// Identity's <see cref="DataProtectorTokenProvider{TUser}"/> with the app's <see cref="TimeProvider"/> instead of the
/// system clock it reads (so a moved clock expires a link as real time would) and URL-safe tokens. A token carries its
/// creation time, the user, the purpose and the user's security stamp, encrypted under the provider's own purpose; it
/// stops working when it expires or when the stamp changes, which setting a password does: so it works once.
/// </summary>
internal abstract class ClockedTokenProvider(
    IDataProtectionProvider protection, IOptions<DataProtectionTokenProviderOptions> options, ILogger<DataProtectorTokenProvider<AppUser>> logger, TimeProvider time)
    : DataProtectorTokenProvider<AppUser>(protection, options, logger)
{
    private static readonly Encoding Utf8 = new UTF8Encoding(false, true);

    public override async Task<string> GenerateAsync(string purpose, UserManager<AppUser> manager, AppUser user)
    {
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(user);
        using var buffer = new MemoryStream();
        await using (var writer = new BinaryWriter(buffer, Utf8, leaveOpen: true))
        {
            writer.Write(time.GetUtcNow().UtcTicks);
            writer.Write(await manager.GetUserIdAsync(user));
            writer.Write(purpose ?? "");
            writer.Write(await manager.GetSecurityStampAsync(user) ?? "");
        }

        return WebEncoders.Base64UrlEncode(Protector.Protect(buffer.ToArray()));
    }

    public override async Task<bool> ValidateAsync(string purpose, string token, UserManager<AppUser> manager, AppUser user)
    {
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(user);
        byte[] payload;
        try
        {
            payload = Protector.Unprotect(WebEncoders.Base64UrlDecode(token ?? ""));
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            // Forged, truncated or from another installation's keys.
            return false;
        }

        using var reader = new BinaryReader(new MemoryStream(payload), Utf8);
        try
        {
            var created = new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero);
            var userId = reader.ReadString();
            var tokenPurpose = reader.ReadString();
            var stamp = reader.ReadString();
            return created + Options.TokenLifespan >= time.GetUtcNow()
                && reader.BaseStream.Position == reader.BaseStream.Length
                && userId == await manager.GetUserIdAsync(user)
                && string.Equals(tokenPurpose, purpose, StringComparison.Ordinal)
                && stamp == (await manager.GetSecurityStampAsync(user) ?? "");
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException or DecoderFallbackException or ArgumentOutOfRangeException)
        {
            return false;
        }
    }
}

internal sealed class InvitationTokenProvider(
    IDataProtectionProvider protection, IOptions<InvitationTokenOptions> options, ILogger<DataProtectorTokenProvider<AppUser>> logger, TimeProvider time)
    : ClockedTokenProvider(protection, options, logger, time);

internal sealed class PasswordResetTokenProvider(
    IDataProtectionProvider protection, IOptions<PasswordResetTokenOptions> options, ILogger<DataProtectorTokenProvider<AppUser>> logger, TimeProvider time)
    : ClockedTokenProvider(protection, options, logger, time);

/// <summary>The token providers of invitation and password-reset links, and the services that send them.</summary>
internal static class AccountTokens
{
    /// <summary>The name of the invitation token provider, and the purpose of its tokens.</summary>
    public const string Invitation = "Invitation";

    /// <summary>The name of the password-reset token provider (Identity's <see cref="UserManager{TUser}.ResetPasswordAsync"/> uses it).</summary>
    public const string PasswordReset = "PasswordReset";

    public static IServiceCollection AddAccountInvitations(this IServiceCollection services)
    {
        services.AddOptions<InvitationTokenOptions>().BindConfiguration("Invitations")
            .Validate(o => o.TokenLifespan > TimeSpan.Zero && o.TokenLifespan <= TimeSpan.FromDays(60), "Invitations:Lifetime must be more than zero and at most 60 days.")
            .ValidateOnStart();
        services.AddOptions<PasswordResetTokenOptions>().BindConfiguration("PasswordReset")
            .Validate(o => o.TokenLifespan > TimeSpan.Zero && o.TokenLifespan <= TimeSpan.FromDays(1), "PasswordReset:Lifetime must be more than zero and at most one day.")
            .ValidateOnStart();

        // What IdentityBuilder.AddTokenProvider does, kept here so Program.cs gains one line.
        services.Configure<IdentityOptions>(o =>
        {
            o.Tokens.ProviderMap[Invitation] = new TokenProviderDescriptor(typeof(InvitationTokenProvider));
            o.Tokens.ProviderMap[PasswordReset] = new TokenProviderDescriptor(typeof(PasswordResetTokenProvider));
            o.Tokens.PasswordResetTokenProvider = PasswordReset;
        });
        services.AddTransient<InvitationTokenProvider>();
        services.AddTransient<PasswordResetTokenProvider>();
        services.AddScoped<Invitations>();
        services.AddScoped<PasswordResets>();
        return services;
    }
}
