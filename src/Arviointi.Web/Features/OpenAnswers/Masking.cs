using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Arviointi.Web.Features.OpenAnswers;

/// <summary>
/// Masks personal data in an open answer before anyone reads it: Finnish personal identity codes, e-mail addresses,
/// phone numbers, street addresses and names of the name list, each replaced by a bracketed word of what was there.
/// It errs towards masking: a capitalised word that looks like an inflected name is masked even when it was not one.
/// Hand-written because no library on the feed knows Finnish identity codes, addresses or inflected names; see
/// docs/privacy.md for what it cannot catch (a nickname, a role that names one person).
/// </summary>
internal static partial class Masking
{
    public const string Name = "[nimi]";
    public const string Email = "[sähköposti]";
    public const string Phone = "[puhelinnumero]";
    public const string IdentityCode = "[henkilötunnus]";
    public const string Address = "[osoite]";

    private static readonly Lazy<IReadOnlyList<string>> Stems = new(LoadStems);

    public static string Mask(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // The order matters: an identity code or address holds digits a phone pattern would take first.
        var masked = IdentityCodePattern().Replace(text, IdentityCode);
        masked = EmailPattern().Replace(masked, Email);
        masked = AddressPattern().Replace(masked, Address);
        masked = PhonePattern().Replace(masked, Phone);
        return WordPattern().Replace(masked, m => IsName(m.Value) ? Name : m.Value);
    }

    /// <summary>A capitalised word that is a listed name or one of its inflected forms (Mikko → Mikon, Anna → Annalle, Ella → Ellas).</summary>
    public static bool IsName(string word)
    {
        if (word.Length < 3 || !char.IsUpper(word[0]))
        {
            return false;
        }

        var lower = word.ToLower(CultureInfo.GetCultureInfo("fi"));
        foreach (var stem in Stems.Value)
        {
            if (lower.StartsWith(stem, StringComparison.Ordinal) && lower.Length - stem.Length <= 5 && Ending(lower.AsSpan(stem.Length)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What may follow a name's stem: nothing, or a case ending or possessive of Finnish and Swedish.</summary>
    private static bool Ending(ReadOnlySpan<char> rest) =>
        rest.Length == 0 || EndingPattern().IsMatch(rest);

    private static List<string> LoadStems()
    {
        using var stream = typeof(Masking).Assembly.GetManifestResourceStream("Arviointi.Web.OpenAnswers.names.txt")
            ?? throw new InvalidOperationException("The name list is not embedded in the assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var stems = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            var name = line.Trim().ToLower(CultureInfo.GetCultureInfo("fi"));
            if (name.Length == 0 || name.StartsWith('#'))
            {
                continue;
            }

            stems.Add(name);
            // Inflection drops or changes the last vowel (Anna → Annan, Annaa; Mikko → Mikon with kk → k; Nieminen → Niemisen).
            stems.Add(name[..^1]);
            if (Gradation().Match(name) is { Success: true } strong)
            {
                stems.Add(name[..strong.Index] + name[strong.Index] + name[(strong.Index + 2)..]);
            }

            if (name.EndsWith("nen", StringComparison.Ordinal))
            {
                stems.Add(name[..^3] + "s");
            }
        }

        // Longest first, so that the most specific stem decides; stems under three letters would mask ordinary words.
        return [.. stems.Where(s => s.Length >= 3).OrderByDescending(s => s.Length)];
    }

    [GeneratedRegex(@"\b(0[1-9]|[12]\d|3[01])(0[1-9]|1[0-2])\d{2}[-+A-FU-Y]\d{3}[0-9A-Y]\b", RegexOptions.IgnoreCase)]
    private static partial Regex IdentityCodePattern();

    [GeneratedRegex(@"[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}")]
    private static partial Regex EmailPattern();

    // Finnish and international forms: 040 123 4567, 040-1234567, +358 40 123 4567, (03) 123 456, 0800 12345.
    [GeneratedRegex(@"(?<![\p{L}\p{N}])(\+|00)?(358[\s-]?)?\(?0?\d{1,3}\)?[\s-]?\d{2,4}([\s-]?\d{2,4}){1,2}(?![\p{L}\p{N}])")]
    private static partial Regex PhonePattern();

    // A street name ending in a Finnish or Swedish street word, its number, and a staircase and flat if given.
    [GeneratedRegex(@"\b\p{Lu}[\p{L}-]*(tie|katu|kuja|polku|väylä|raitti|kaari|rinne|tori|piha|gatan|vägen|gränd|stigen|tien|kadun|kujan|polun)\s+\d+(\s?[A-Za-z])?(\s?\d+)?\b")]
    private static partial Regex AddressPattern();

    [GeneratedRegex(@"\p{L}+")]
    private static partial Regex WordPattern();

    // A linking vowel, a case ending (or Swedish genitive s), a possessive suffix and a clitic, each optional.
    [GeneratedRegex(@"^[aeiouyäö]?[aeiouyäö]?(n|t|a|ä|lla|llä|lle|lta|ltä|ssa|ssä|sta|stä|h[aeiouyäö]n|ksi|na|nä|ne|den|tten|s)?(ni|si|mme|nne|nsa|nsä)?(kin|kaan|kään)?$")]
    private static partial Regex EndingPattern();

    // A doubled k, p or t before the last vowel, weakened in most inflected forms (Mikko → Miko-n; Jussi keeps ss).
    [GeneratedRegex(@"(kk|pp|tt)[aeiouyäö]$")]
    private static partial Regex Gradation();
}
