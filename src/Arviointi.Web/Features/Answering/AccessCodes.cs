using System.Security.Cryptography;

namespace Arviointi.Web.Features.Answering;

/// <summary>Making and normalising access codes; they are hashed with a key (<see cref="AnsweringKeys.HashCode"/>).</summary>
internal static class AccessCodes
{
    /// <summary>No look-alikes: no I, L, O, 0 or 1.</summary>
    public const string Alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    public const int Length = 10;

    /// <summary>A fresh code from the cryptographic random generator.</summary>
    public static string Generate() => new(RandomNumberGenerator.GetItems<char>(Alphabet, Length));

    /// <summary>A reproducible code for the clearly marked demo data only.</summary>
    public static string GenerateDemo(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return new(random.GetItems<char>(Alphabet, Length));
    }

    /// <summary>Upper case without spaces or dashes, so "abcde-fghjk" and "ABCDE FGHJK" are the same code.</summary>
    public static string Normalize(string? code) =>
        new((code ?? "").Where(char.IsLetterOrDigit).Select(char.ToUpperInvariant).ToArray());

    /// <summary>Printed form, split in two halves for reading aloud and typing.</summary>
    public static string Display(string code)
    {
        var normalized = Normalize(code);
        return normalized.Length == Length ? $"{normalized[..5]}-{normalized[5..]}" : normalized;
    }
}
