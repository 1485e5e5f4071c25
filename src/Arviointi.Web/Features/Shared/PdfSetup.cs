using Arviointi.Web.Fonts;
using PdfSharp;
using PdfSharp.License;
using PdfSharp.Pdf;

namespace Arviointi.Web.Features.Shared;

/// <summary>What PDFsharp needs before the first document: a licence choice and the shipped fonts.</summary>
internal static class PdfSetup
{
    private static readonly Lock LicenceGate = new();
    private static volatile bool licenceChosen;

    /// <summary>
    /// PDFsharp from 6.5 on is dual-licensed, AGPL-3.0 or commercial, and refuses to make a document until the
    /// program says which. A commercial key loaded at startup (PdfSharpLicense.LoadLicense) is kept; without one
    /// this selects the AGPL, which obliges the site to offer its source to its users.
    /// </summary>
    public static void Ensure()
    {
        if (!licenceChosen)
        {
            lock (LicenceGate)
            {
                if (!licenceChosen)
                {
                    try
                    {
                        // PDFsharp offers no public way to ask whether a licence is loaded: making a document tells.
                        using var probe = new PdfDocument();
                    }
                    catch (PdfSharpLicenseException)
                    {
                        PdfSharpLicense.SetAgplLicense();
                    }

                    licenceChosen = true;
                }
            }
        }

        DejaVuFontResolver.EnsureInstalled();
    }
}
