namespace Arviointi.Cli;

internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Invalid input or an unreadable or unwritable file; the message says which.</summary>
    public const int Failure = 1;
}
