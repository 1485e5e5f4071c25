using Arviointi.Web.Fonts;

namespace Arviointi.Web.Features.Shared;

/// <summary>What PDFsharp needs before the first document: the shipped fonts.</summary>
/// <remarks>
/// PDFsharp is pinned to 6.2.4 (MIT) in Directory.Packages.props. From 6.5 on it is AGPL-3.0 or commercial and
/// refuses to make a document until the program chooses; choosing the AGPL would oblige the site to offer its
/// source to every user, so a newer version is a licence decision, not an update.
/// </remarks>
internal static class PdfSetup
{
    public static void Ensure() => DejaVuFontResolver.EnsureInstalled();
}
