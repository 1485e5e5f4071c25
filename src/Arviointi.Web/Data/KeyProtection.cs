using System.Security.Cryptography.X509Certificates;
using Arviointi.Web.Features.Answering;
using Microsoft.AspNetCore.DataProtection;

namespace Arviointi.Web.Data;

/// <summary>
/// The data-protection keys (sign-in cookies, antiforgery tokens, answering sessions) live in the database so that
/// several instances share them; outside development they are encrypted there with a certificate the database does
/// not hold (<c>DataProtection:CertificatePath</c> and <c>:CertificatePassword</c>, a PKCS#12 file with its private key).
/// </summary>
internal static class KeyProtection
{
    public static void AddArviointiDataProtection(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var keys = services.AddDataProtection().SetApplicationName("Arviointi").PersistKeysToDbContext<AppDbContext>();
        var section = configuration.GetSection("DataProtection");
        if (Load(section["CertificatePath"], section["CertificatePassword"]) is { } certificate)
        {
            keys.ProtectKeysWithCertificate(certificate);

            // After a change of certificate, the keys written under the previous one still open until they expire.
            var previous = Load(section["PreviousCertificatePath"], section["PreviousCertificatePassword"]);
            keys.UnprotectKeysWithAnyCertificate(previous is null ? [certificate] : [certificate, previous]);
        }
        else if (!AnsweringKeySetup.CanMakeKeys(environment))
        {
            throw new InvalidOperationException(
                "DataProtection:CertificatePath is not set: outside Development the data-protection keys in the database must be " +
                "encrypted with a certificate. Give a PKCS#12 (.pfx) file with its private key in DataProtection:CertificatePath " +
                "and its password in DataProtection:CertificatePassword (environment variables DataProtection__CertificatePath, " +
                "DataProtection__CertificatePassword); see docs/storage.md.");
        }
    }

    private static X509Certificate2? Load(string? path, string? password)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password);
        return certificate.HasPrivateKey
            ? certificate
            : throw new InvalidOperationException($"The data-protection certificate {path} has no private key: keys protected with it could not be read back.");
    }
}
