using System.Reflection;
using PdfSharp.Fonts;

namespace Arviointi.Web.Fonts;

/// <summary>
/// Serves the DejaVu Sans shipped in this assembly (Fonts/*.ttf, embedded resources) to PDFsharp for every
/// family name: PDFsharp 6 finds no system fonts on Linux. Regular and bold faces; italic is simulated.
/// DejaVu covers Finnish, Swedish and Sámi letters. Licence: Fonts/DejaVu-LICENSE.txt.
/// </summary>
internal sealed class DejaVuFontResolver : IFontResolver
{
    /// <summary>The family to ask for; any other name resolves to the same faces.</summary>
    public const string Family = "DejaVu Sans";

    private const string RegularFace = "DejaVuSans";
    private const string BoldFace = "DejaVuSans-Bold";

    private static readonly DejaVuFontResolver Instance = new();
    private static readonly Lock Gate = new();
    private static volatile bool ensured;

    private readonly Lazy<byte[]> regular = new(() => Load(RegularFace));
    private readonly Lazy<byte[]> bold = new(() => Load(BoldFace));

    private DejaVuFontResolver()
    {
    }

    /// <summary>
    /// Installs the resolver in PDFsharp's process-wide settings once. Safe to call from any thread, any number
    /// of times. If another resolver was installed first, this one becomes the fallback where that is still free;
    /// PDFsharp refuses a change after fonts were used, and then the settings in force are kept as they are.
    /// </summary>
    public static void EnsureInstalled()
    {
        if (ensured)
        {
            return;
        }

        lock (Gate)
        {
            if (ensured)
            {
                return;
            }

            try
            {
                var current = GlobalFontSettings.FontResolver;
                if (current is null)
                {
                    GlobalFontSettings.FontResolver = Instance;
                }
                else if (current is not DejaVuFontResolver && GlobalFontSettings.FallbackFontResolver is null)
                {
                    GlobalFontSettings.FallbackFontResolver = Instance;
                }
            }
            catch (InvalidOperationException)
            {
                // Fonts were already used with other settings: PDFsharp keeps those, and so do we.
            }

            ensured = true;
        }
    }

    public FontResolverInfo ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? BoldFace : RegularFace, mustSimulateBold: false, mustSimulateItalic: italic);

    public byte[]? GetFont(string faceName) => faceName switch
    {
        RegularFace => regular.Value,
        BoldFace => bold.Value,
        _ => null,
    };

    private static byte[] Load(string face)
    {
        var name = $"Arviointi.Web.Fonts.{face}.ttf";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Font resource {name} is missing from the assembly.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
