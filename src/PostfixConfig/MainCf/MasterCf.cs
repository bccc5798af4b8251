using System.Text;
using System.Text.RegularExpressions;

namespace PostfixConfig.MainCf;

/// <summary>
/// What lint needs from the master.cf next to main.cf, read the way postconf reads it when it
/// decides which main.cf parameters are unused: each service's name and program (the first word
/// of its command), and the parameter names that its <c>-o</c> options refer to.
/// </summary>
/// <remarks>
/// <para>
/// Per-service parameters (<c>relay_destination_concurrency_limit</c>, <c>dovecot_time_limit</c>)
/// exist only for the services master.cf defines with a delivery or spawn program
/// (postconf_service.c), and a parameter that only master.cf refers to
/// (<c>-o smtpd_client_restrictions=$mua_client_restrictions</c>) is used, not unknown.
/// </para>
/// <para>
/// master(5): a logical line starts with non-whitespace and continues on lines that start with
/// whitespace; empty lines and lines whose first non-whitespace character is <c>#</c> are
/// ignored, also inside an entry. An entry has eight fields (service, type, private, unpriv,
/// chroot, wakeup, maxproc, command) followed by the command's arguments, where
/// <c>-o name=value</c> (or, from Postfix 3.0, <c>-o { name = value }</c>) overrides a parameter.
/// Entries with fewer fields are listed in <see cref="ShortEntries"/> (Postfix stops on them).
/// </para>
/// </remarks>
internal sealed partial class MasterCf
{
    private MasterCf(IReadOnlyList<MasterService> services, IReadOnlySet<string> referencedNames, IReadOnlyList<(int Line, int Fields)> shortEntries)
    {
        Services = services;
        ReferencedNames = referencedNames;
        ShortEntries = shortEntries;
        foreach (var service in services)
        {
            if (!_programs.TryGetValue(service.Name, out var programs))
            {
                _programs[service.Name] = programs = new List<string>(1);
            }

            programs.Add(service.Program);
        }
    }

    // Service name to the programs of its entries (a name can have an inet and a unix entry).
    private readonly Dictionary<string, List<string>> _programs = new(StringComparer.Ordinal);

    /// <summary>The file it was read from, when read with <see cref="ReadNextTo"/>.</summary>
    public string? Path { get; private init; }

    /// <summary>Entries with fewer than eight fields (line and field count): Postfix stops on them ("bad field count").</summary>
    public IReadOnlyList<(int Line, int Fields)> ShortEntries { get; }

    /// <summary>The services, in file order.</summary>
    public IReadOnlyList<MasterService> Services { get; }

    /// <summary>Parameter names referenced as <c>$name</c>, <c>${name...}</c> or <c>$(name)</c> in <c>-o</c> option values.</summary>
    public IReadOnlySet<string> ReferencedNames { get; }

    /// <summary>Whether some entry defines <paramref name="service"/> with one of <paramref name="programs"/> as its command.</summary>
    public bool Defines(string service, IReadOnlyCollection<string> programs) =>
        _programs.TryGetValue(service, out var defined) && defined.Exists(p => programs.Contains(p, StringComparer.Ordinal));

    /// <summary>The service name closest to <paramref name="service"/> (a misspelt transport), or <see langword="null"/>.</summary>
    public string? SuggestService(string service) => (_suggester ??= new Catalog.NameSuggester(_programs.Keys)).Suggest(service);

    private Catalog.NameSuggester? _suggester;

    /// <summary>The program of the first entry named <paramref name="service"/>, or <see langword="null"/>.</summary>
    public string? ProgramOf(string service) => _programs.TryGetValue(service, out var defined) ? defined[0] : null;

    /// <summary>The master.cf in the folder of <paramref name="mainCfPath"/>, or <see langword="null"/> when there is none that can be read.</summary>
    public static MasterCf? ReadNextTo(string mainCfPath)
    {
        var file = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(mainCfPath)) ?? ".", "master.cf");
        try
        {
            var info = new FileInfo(file);
            if (!info.Exists || info.Length > MaxBytes)
            {
                return null;
            }

            var master = Parse(MainCfDocument.Decode(File.ReadAllBytes(file)).Text);
            return new MasterCf(master.Services, master.ReferencedNames, master.ShortEntries) { Path = file };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // as if there were none: per-service parameters stay "only if master.cf defines it"
        }
    }

    /// <summary>A master.cf is a few kilobytes; a bigger file than this is not read.</summary>
    private const long MaxBytes = 16L << 20;

    public static MasterCf Parse(string text)
    {
        var services = new List<MasterService>();
        var shortEntries = new List<(int, int)>();
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        var entry = new StringBuilder();
        var entryLine = 0;
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r');
            var content = line.TrimStart(' ', '\t');
            if (content.Length == 0 || content[0] == '#')
            {
                continue; // blank or comment, also between the lines of an entry
            }

            if (line[0] is ' ' or '\t')
            {
                if (entry.Length > 0)
                {
                    entry.Append(' ').Append(content);
                }

                continue; // a continuation (one before any entry is an error Postfix reports)
            }

            Flush();
            entry.Append(line);
            entryLine = lineNumber;
        }

        Flush();
        return new MasterCf(services, referenced, shortEntries);

        void Flush()
        {
            if (entry.Length == 0)
            {
                return;
            }

            var tokens = Tokens(entry.ToString());
            entry.Clear();
            if (tokens.Count < 8)
            {
                shortEntries.Add((entryLine, tokens.Count));
                return;
            }

            services.Add(new MasterService(tokens[0], tokens[1], tokens[7], entryLine));
            for (var i = 8; i + 1 < tokens.Count; i++)
            {
                if (tokens[i] == "-o")
                {
                    var option = tokens[++i];
                    if (option.StartsWith('{') && option.EndsWith('}'))
                    {
                        option = option[1..^1]; // { name = value }
                    }

                    var equals = option.IndexOf('=', StringComparison.Ordinal);
                    if (equals > 0)
                    {
                        foreach (Match m in ReferencePattern().Matches(option[(equals + 1)..]))
                        {
                            referenced.Add(m.Groups[1].Value);
                        }
                    }
                }
            }
        }
    }

    /// <summary>Whitespace-separated tokens, a token that starts with <c>{</c> running to its matching <c>}</c>.</summary>
    private static List<string> Tokens(string line)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < line.Length)
        {
            while (i < line.Length && line[i] is ' ' or '\t')
            {
                i++;
            }

            if (i == line.Length)
            {
                break;
            }

            var start = i;
            if (line[i] == '{')
            {
                var depth = 0;
                for (; i < line.Length; i++)
                {
                    depth += line[i] switch { '{' => 1, '}' => -1, _ => 0 };
                    if (depth == 0)
                    {
                        i++;
                        break;
                    }
                }
            }
            else
            {
                while (i < line.Length && line[i] is not (' ' or '\t'))
                {
                    i++;
                }
            }

            tokens.Add(line[start..i]);
        }

        return tokens;
    }

    [GeneratedRegex(@"\$[{(]?([A-Za-z0-9_]+)")]
    private static partial Regex ReferencePattern();
}

/// <summary>One master.cf entry: its service name, type, program (the command's first word) and the line it starts on.</summary>
internal sealed record MasterService(string Name, string Type, string Program, int Line);
