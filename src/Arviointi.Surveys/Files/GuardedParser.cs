using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Arviointi.Surveys.Files;

/// <summary>
/// Hands YAML events to YamlDotNet's node model, refusing two shapes the survey format never uses and the node model
/// cannot survive: nesting so deep that building the nodes overflows the stack (which no handler can catch), and keys
/// that are lists, mappings or aliases, whose hashing grows exponentially when aliases nest ("billion laughs").
/// </summary>
internal sealed class GuardedParser(IParser parser) : IParser
{
    /// <summary>Far above the format's own depth (about seven: sections, items, show_if, in), far below the stack's.</summary>
    public const int MaxDepth = 32;

    // One entry per open list (null) or mapping (true while its next node is a key).
    private readonly Stack<bool?> open = new();

    public ParsingEvent? Current => parser.Current;

    public bool MoveNext()
    {
        if (!parser.MoveNext())
        {
            return false;
        }

        var current = parser.Current!;
        switch (current)
        {
            case SequenceEnd or MappingEnd:
                open.Pop();
                return true;
            case not (Scalar or AnchorAlias or SequenceStart or MappingStart):
                return true;
        }

        if (open.TryPeek(out var isKey) && isKey is { } key)
        {
            if (key && current is not Scalar)
            {
                throw new YamlException(current.Start, current.End, "avaimen pitää olla yksittäinen sana, ei luettelo, rakenne tai viittaus (*)");
            }

            open.Pop();
            open.Push(!key);
        }

        if (current is SequenceStart or MappingStart)
        {
            open.Push(current is MappingStart ? true : null);
            if (open.Count > MaxDepth)
            {
                throw new YamlException(current.Start, current.End, $"sisäkkäisiä luetteloita tai rakenteita on yli {MaxDepth} tasoa; kyselytiedostossa tarvitaan enintään muutama");
            }
        }

        return true;
    }
}
