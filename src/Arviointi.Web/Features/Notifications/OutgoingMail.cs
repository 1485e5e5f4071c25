using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Arviointi.Web.Features.Notifications;

/// <summary>
/// A message waiting in the outbox or sent from it. <see cref="Key"/> names what the message is about
/// (e.g. <c>reminder:12:2:user</c>), so planning the same message twice, or on two servers, stores it once.
/// </summary>
internal sealed class OutgoingMail
{
    public const int MaxAttempts = 8;

    public int Id { get; init; }
    public required string Key { get; init; }
    public required string ToAddress { get; init; }
    public required string ToName { get; init; }
    public required string Subject { get; init; }
    public required string Body { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public string? LastError { get; set; }
}

internal sealed class OutgoingMailConfiguration : IEntityTypeConfiguration<OutgoingMail>
{
    public void Configure(EntityTypeBuilder<OutgoingMail> builder)
    {
        builder.Property(m => m.Key).HasMaxLength(200);
        builder.HasIndex(m => m.Key).IsUnique();
        builder.Property(m => m.ToAddress).HasMaxLength(256);
        builder.Property(m => m.ToName).HasMaxLength(200);
        builder.Property(m => m.Subject).HasMaxLength(300);
        builder.Property(m => m.LastError).HasMaxLength(1000);
        builder.HasIndex(m => new { m.SentAt, m.NextAttemptAt });
    }
}
