namespace Arviointi.Cli.Stats;

/// <summary>Bad input the user can fix; its message names the file and line and is shown as is.</summary>
internal sealed class InputException(string message) : Exception(message)
{
    public static InputException At(string file, long line, string message) => new($"{file}:{line}: {message}");
}
