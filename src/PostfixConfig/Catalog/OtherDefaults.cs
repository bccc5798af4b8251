using System.Globalization;

namespace PostfixConfig.Catalog;

/// <summary>A default of a parameter outside TLS, as <c>postconf -d</c> prints it.</summary>
/// <param name="Value">The value (unexpanded); for <paramref name="FromHost"/>, a neutral stand-in of the same shape.</param>
/// <param name="FromHost">
/// Whether the value depends on the mail host or on how Postfix was built (<c>myhostname</c>, <c>mynetworks</c>,
/// the directories): never empty, but its text is known only on the mail host.
/// </param>
internal readonly record struct OtherDefault(string Value, bool FromHost);

/// <summary>
/// The defaults of the parameters outside TLS (<c>Catalog/Data/other-defaults.txt</c>, written by
/// <c>tools/catalog/other-defaults.sh</c> from <c>postconf -d</c> of the reference releases 3.4 and later).
/// The expansions that must follow postconf read them (reference loops, <c>${name?...}</c> branches on
/// <c>mynetworks</c>); the TLS rules do not. Read on first use only: most runs never need them.
/// </summary>
internal static class OtherDefaults
{
    private static readonly Lazy<Dictionary<string, List<(PostfixVersion Since, OtherDefault? Value)>>> Table =
        new(() => Parse(ReadEmbedded()));

    /// <summary>The default of <paramref name="name"/> in release <paramref name="version"/>, or <see langword="null"/> when the table has none.</summary>
    public static OtherDefault? Find(string name, PostfixVersion version)
    {
        if (!Table.Value.TryGetValue(name, out var history))
        {
            return null;
        }

        OtherDefault? found = null;
        foreach (var (since, value) in history)
        {
            if (version.Line < since)
            {
                break;
            }

            found = value;
        }

        return found;
    }

    /// <summary>Parses the data file's text.</summary>
    /// <exception cref="FormatException">A line is not <c>name SINCE VALUE...</c>; the message names the line.</exception>
    internal static Dictionary<string, List<(PostfixVersion Since, OtherDefault? Value)>> Parse(string text)
    {
        var table = new Dictionary<string, List<(PostfixVersion, OtherDefault?)>>(700, StringComparer.Ordinal);
        var lineNo = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNo++;
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var parts = line.Split(' ', 3);
            if (parts.Length < 2 || parts[0].Length == 0 || !PostfixVersion.TryParse(parts[1], out var since))
            {
                throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"other-defaults.txt line {lineNo}: expected 'name SINCE VALUE...'."));
            }

            var rest = parts.Length == 3 ? parts[2] : string.Empty;
            OtherDefault? value = rest switch
            {
                "(none)" => null,
                _ when rest.StartsWith("(host) ", StringComparison.Ordinal) => new OtherDefault(rest["(host) ".Length..], FromHost: true),
                _ => new OtherDefault(rest, FromHost: false),
            };
            if (!table.TryGetValue(parts[0], out var history))
            {
                table[parts[0]] = history = [];
            }

            history.Add((since.Line, value));
        }

        return table;
    }

    private static string ReadEmbedded()
    {
        using var stream = typeof(OtherDefaults).Assembly.GetManifestResourceStream("PostfixConfig.Catalog.other-defaults.txt")
            ?? throw new InvalidOperationException("Embedded resource PostfixConfig.Catalog.other-defaults.txt is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
