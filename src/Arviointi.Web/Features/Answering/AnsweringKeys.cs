using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Arviointi.Web.Features.Answering;

/// <summary>
/// The two secrets of answering, kept out of the database so that a copy of its files can neither test a code
/// against its hash nor read answers still waiting to be stored. Base64, at least 32 bytes each.
/// </summary>
internal sealed class AnsweringKeyOptions
{
    public const int MinimumBytes = 32;

    /// <summary>Key of the access codes' HMAC-SHA256. Changing it makes every issued code unknown.</summary>
    public string CodeKey { get; set; } = "";

    /// <summary>Key of the answers waiting to be stored (<see cref="PendingResponse"/>). Losing it loses them.</summary>
    public string PendingKey { get; set; } = "";

    public static bool IsKey(string value)
    {
        var bytes = new byte[value.Length];
        return Convert.TryFromBase64String(value, bytes, out var written) && written >= MinimumBytes;
    }
}

/// <summary>
/// Where the keys come from. Configured (<c>Answering:CodeKey</c>, <c>Answering:PendingKey</c>) in production; on a
/// developer's machine and in tests a key file is made once in the data folder, next to the database and not in it.
/// </summary>
internal static class AnsweringKeySetup
{
    public const string DevelopmentKeyFile = "answering-keys.development.json";

    public static void AddAnsweringKeys(this IServiceCollection services, IHostEnvironment environment, string dataFolder)
    {
        services.AddOptions<AnsweringKeyOptions>().BindConfiguration("Answering")
            .PostConfigure<ILoggerFactory>((o, logs) =>
            {
                if (CanMakeKeys(environment) && (o.CodeKey.Length == 0 || o.PendingKey.Length == 0))
                {
                    var file = ReadOrCreate(Path.Combine(dataFolder, DevelopmentKeyFile), logs.CreateLogger<AnsweringKeys>());
                    o.CodeKey = o.CodeKey.Length == 0 ? file.CodeKey : o.CodeKey;
                    o.PendingKey = o.PendingKey.Length == 0 ? file.PendingKey : o.PendingKey;
                }
            })
            .Validate(o => AnsweringKeyOptions.IsKey(o.CodeKey), Missing("Answering:CodeKey", "access codes are hashed with it"))
            .Validate(o => AnsweringKeyOptions.IsKey(o.PendingKey), Missing("Answering:PendingKey", "answers waiting to be stored are encrypted with it"))
            .ValidateOnStart();
        services.AddSingleton<AnsweringKeys>();
    }

    /// <summary>Only where nothing real is at stake: everywhere else a missing key stops the start.</summary>
    public static bool CanMakeKeys(IHostEnvironment environment) =>
        environment.IsDevelopment() || environment.IsEnvironment("Testing");

    private static string Missing(string key, string why) =>
        $"{key} is not set or is not base64 of at least {AnsweringKeyOptions.MinimumBytes} bytes ({why}). " +
        $"Make one with `openssl rand -base64 32` and give it as configuration (environment variable {key.Replace(":", "__", StringComparison.Ordinal)}), " +
        "kept apart from the database and its backups; see docs/storage.md.";

    private static AnsweringKeyOptions ReadOrCreate(string path, ILogger logger)
    {
        if (!File.Exists(path))
        {
            var fresh = new AnsweringKeyOptions
            {
                CodeKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(AnsweringKeyOptions.MinimumBytes)),
                PendingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(AnsweringKeyOptions.MinimumBytes)),
            };
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                using var stream = new FileStream(path, options);
                JsonSerializer.Serialize(stream, fresh);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process of the same folder made it first; use theirs.
            }
        }

        logger.LogWarning(
            "Answering keys are read from {KeyFile}, made for development: set Answering:CodeKey and Answering:PendingKey in production",
            path);
        return JsonSerializer.Deserialize<AnsweringKeyOptions>(File.ReadAllText(path))
            ?? throw new InvalidOperationException($"{path} holds no answering keys.");
    }
}

/// <summary>The answering keys in use: the keyed hash of access codes, and the key of answers waiting to be stored.</summary>
internal sealed class AnsweringKeys(IOptions<AnsweringKeyOptions> options)
{
    private readonly byte[] codeKey = Convert.FromBase64String(options.Value.CodeKey);

    /// <summary>AES-256 key for <see cref="PendingResponse"/> payloads, derived so the configured bytes are never used raw.</summary>
    public byte[] PendingKey { get; } = HKDF.DeriveKey(HashAlgorithmName.SHA256, Convert.FromBase64String(options.Value.PendingKey), 32, info: Encoding.UTF8.GetBytes("arviointi-pending-response-v1"));

    /// <summary>HMAC-SHA256 of the normalised code, as stored in <see cref="AccessCode.Hash"/>: without the key, a hash cannot be tested against a code.</summary>
    public string HashCode(string code) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(codeKey, Encoding.UTF8.GetBytes(AccessCodes.Normalize(code))));
}
