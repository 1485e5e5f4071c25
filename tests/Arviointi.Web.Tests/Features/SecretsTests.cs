using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Arviointi.Web.Features.Answering;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Arviointi.Web.Tests.Features;

/// <summary>The secrets that must not be in the database: where they come from, and that production will not start without them.</summary>
public sealed class SecretsTests
{
    private static readonly string CodeKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly string PendingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void In_production_the_app_refuses_to_start_without_a_certificate_for_the_data_protection_keys()
    {
        using var factory = new ProductionFactory(certificate: false, keys: true);
        var error = Assert.ThrowsAny<Exception>(() => factory.Services);
        Assert.Contains("DataProtection:CertificatePath is not set", Messages(error), StringComparison.Ordinal);
    }

    [Fact]
    public void In_production_the_app_refuses_to_start_without_the_answering_keys_and_makes_none_of_its_own()
    {
        using var factory = new ProductionFactory(certificate: true, keys: false);
        var messages = Messages(Assert.ThrowsAny<Exception>(() => factory.Services));
        Assert.Contains("Answering:CodeKey is not set", messages, StringComparison.Ordinal);
        Assert.Contains("Answering:PendingKey is not set", messages, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(factory.DataFolder, AnsweringKeySetup.DevelopmentKeyFile)));
    }

    [Fact]
    public async Task In_production_codes_are_hashed_with_the_configured_key_and_the_data_protection_keys_are_encrypted_at_rest()
    {
        using var factory = new ProductionFactory(certificate: true, keys: true);
        var unit = await TestData.UnitAsync(factory, "111", $"Päiväkoti {Guid.NewGuid():n}");
        var round = await TestData.OpenRoundAsync(factory);
        var code = (await TestData.CodesAsync(factory, round.Id, unit.Id, 1))[0];
        using var respondent = new Respondent(factory);
        Assert.Equal("/vastaa/kysely", (await respondent.EnterAsync(code)).Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await respondent.PageAsync(1)).Status);

        await using var db = factory.CreateDbContext();
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Convert.FromBase64String(CodeKey), Encoding.UTF8.GetBytes(AccessCodes.Normalize(code))));
        Assert.Equal(expected, (await db.AccessCodes.SingleAsync(c => c.RoundId == round.Id)).Hash);
        var stored = await db.DataProtectionKeys.Select(k => k.Xml!).ToListAsync();
        Assert.NotEmpty(stored);
        Assert.All(stored, xml =>
        {
            Assert.Contains("EncryptedData", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal);
        });
        Assert.False(File.Exists(Path.Combine(factory.DataFolder, AnsweringKeySetup.DevelopmentKeyFile)));
    }

    [Fact]
    public async Task Without_configured_keys_development_and_tests_make_a_key_file_once_beside_the_database()
    {
        using var factory = new ArviointiFactory();
        var hash = factory.Services.GetRequiredService<AnsweringKeys>().HashCode("abcde-fghjk");
        var path = Path.Combine(factory.DataFolder, AnsweringKeySetup.DevelopmentKeyFile);
        Assert.True(File.Exists(path));
        Assert.NotEqual(Path.GetFullPath(factory.DatabasePath), Path.GetFullPath(path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        var file = JsonSerializer.Deserialize<AnsweringKeyOptions>(await File.ReadAllTextAsync(path))!;
        Assert.Equal(Convert.ToHexStringLower(HMACSHA256.HashData(Convert.FromBase64String(file.CodeKey), "ABCDEFGHJK"u8)), hash);
        Assert.NotEqual(file.CodeKey, file.PendingKey);

        // A restart on the same folder keeps the keys, so issued codes and waiting answers stay readable.
        using var restarted = new SameFolderFactory(factory.DataFolder);
        Assert.Equal(hash, restarted.Services.GetRequiredService<AnsweringKeys>().HashCode("ABCDEFGHJK"));
    }

    private static string Messages(Exception error)
    {
        var all = new StringBuilder();
        for (var e = error; e is not null; e = e.InnerException)
        {
            all.AppendLine(e.Message);
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    all.AppendLine(Messages(inner));
                }
            }
        }

        return all.ToString();
    }

    private sealed class SameFolderFactory(string folder) : ArviointiFactory(folder);

    /// <summary>The app as deployed: Production, with the data-protection certificate and the answering keys configured or not.</summary>
    private sealed class ProductionFactory(bool certificate, bool keys) : ArviointiFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment("Production");
            if (certificate)
            {
                var path = Path.Combine(DataFolder, "data-protection.pfx");
                using var rsa = RSA.Create(2048);
                var request = new CertificateRequest("CN=Arviointi data protection (test)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
                File.WriteAllBytes(path, created.Export(X509ContentType.Pfx, "testi-salasana"));
                builder.UseSetting("DataProtection:CertificatePath", path);
                builder.UseSetting("DataProtection:CertificatePassword", "testi-salasana");
            }

            if (keys)
            {
                builder.UseSetting("Answering:CodeKey", CodeKey);
                builder.UseSetting("Answering:PendingKey", PendingKey);
            }
        }
    }
}
