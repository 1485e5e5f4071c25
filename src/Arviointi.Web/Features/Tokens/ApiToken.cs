using Arviointi.Web.Features.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Arviointi.Web.Features.Tokens;

/// <summary>
/// A personal API token with which an analyst's or administrator's script downloads the export. Only the token's hash
/// is stored; the token itself is shown once, when it is made.
/// </summary>
internal sealed class ApiToken
{
    public int Id { get; init; }

    public required string UserId { get; init; }

    /// <summary>What the owner calls it, e.g. "R-skripti, työkone".</summary>
    public required string Name { get; init; }

    /// <summary>The token's first characters (<c>arv_</c> and eight of the random part), shown so the owner can tell tokens apart.</summary>
    public required string Prefix { get; init; }

    /// <summary>SHA-256 of the whole token, lowercase hex (<see cref="ApiTokens.HashOf"/>).</summary>
    public required string Hash { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    public DateTimeOffset? LastUsedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public AppUser? User { get; init; }
}

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> builder)
    {
        builder.Property(t => t.Name).HasMaxLength(ApiTokens.MaxNameLength);
        builder.Property(t => t.Prefix).HasMaxLength(16);
        builder.Property(t => t.Hash).HasMaxLength(64).IsFixedLength().IsUnicode(false);
        builder.HasIndex(t => t.Hash).IsUnique();
        builder.HasOne(t => t.User).WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
