using System.Text;
using PostfixConfig.Diagnostics;
using PostfixConfig.Text;

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
internal sealed class MasterCf
{
    private MasterCf(string? path, IReadOnlyList<MasterService> services, IReadOnlySet<string> referencedNames, IReadOnlyList<(int Line, int Fields)> shortEntries)
    {
        Path = path;
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
    public string? Path { get; }

    /// <summary>Entries with fewer than eight fields (line and field count): Postfix stops on them ("bad field count").</summary>
    public IReadOnlyList<(int Line, int Fields)> ShortEntries { get; }

    /// <summary>The services, in file order.</summary>
    public IReadOnlyList<MasterService> Services { get; }

    /// <summary>Every entry as postconf reads it, short and refused ones included, in file order.</summary>
    public IReadOnlyList<MasterCfEntry> Entries { get; private init; } = [];

    /// <summary>Parameter names referenced as <c>$name</c>, <c>${name...}</c> or <c>$(name)</c> in <c>-o</c> option values.</summary>
    public IReadOnlySet<string> ReferencedNames { get; }

    /// <summary>Whether some entry defines <paramref name="service"/> with one of <paramref name="programs"/> as its command.</summary>
    public bool Defines(string service, IReadOnlyCollection<string> programs) =>
        _programs.ContainsKey(service) && RunsOneOf(service, programs);

    /// <summary>
    /// A service one edit away from <paramref name="service"/> (a misspelt transport: a letter added,
    /// left out, changed, or two swapped) that runs one of <paramref name="programs"/>; the first in
    /// ordinal order when several are, <see langword="null"/> when none is. Cheap enough to ask for
    /// each of thousands of parameters.
    /// </summary>
    public string? SuggestService(string service, IReadOnlyCollection<string> programs)
    {
        // Two names one edit apart share a variant with at most one character deleted (the
        // "symmetric delete" index), so only names sharing one are compared.
        if (_byVariant is null)
        {
            _byVariant = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var name in _programs.Keys)
            {
                foreach (var variant in Variants(name))
                {
                    if (!_byVariant.TryGetValue(variant, out var names))
                    {
                        _byVariant[variant] = names = new List<string>(1);
                    }

                    names.Add(name);
                }
            }
        }

        string? best = null;
        foreach (var variant in Variants(service))
        {
            if (_byVariant.TryGetValue(variant, out var names))
            {
                foreach (var name in names)
                {
                    if ((best is null || string.CompareOrdinal(name, best) < 0) && OneEditApart(service, name) && RunsOneOf(name, programs))
                    {
                        best = name;
                    }
                }
            }
        }

        return best;
    }

    private Dictionary<string, List<string>>? _byVariant;

    /// <summary>The name itself and the name with each one character deleted.</summary>
    private static IEnumerable<string> Variants(string name)
    {
        yield return name;
        for (var i = 0; i < name.Length; i++)
        {
            yield return name.Remove(i, 1);
        }
    }

    private bool RunsOneOf(string service, IReadOnlyCollection<string> programs)
    {
        foreach (var program in _programs[service])
        {
            if (programs.Contains(program, StringComparer.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="b"/> is <paramref name="a"/> with one character inserted, deleted or changed, or two neighbours swapped.</summary>
    internal static bool OneEditApart(string a, string b)
    {
        if (a.Length > b.Length)
        {
            (a, b) = (b, a);
        }

        if (b.Length - a.Length > 1 || a == b)
        {
            return false;
        }

        var i = 0;
        while (i < a.Length && a[i] == b[i])
        {
            i++;
        }

        if (a.Length < b.Length)
        {
            return a.AsSpan(i).SequenceEqual(b.AsSpan(i + 1)); // one inserted
        }

        return a.AsSpan(i + 1).SequenceEqual(b.AsSpan(i + 1)) // one changed
            || (i + 1 < a.Length && a[i] == b[i + 1] && a[i + 1] == b[i] && a.AsSpan(i + 2).SequenceEqual(b.AsSpan(i + 2))); // two swapped
    }

    /// <summary>The program of the first entry named <paramref name="service"/>, or <see langword="null"/>.</summary>
    public string? ProgramOf(string service) => _programs.TryGetValue(service, out var defined) ? defined[0] : null;

    /// <summary>
    /// The master.cf in the folder of <paramref name="mainCfPath"/>, or <see langword="null"/> when there is
    /// none that can be read. One over <see cref="IO.InputLimits.ConfigFileBytes"/> or with a logical line
    /// over <see cref="IO.InputLimits.LogicalLineChars"/> is refused (an error in <paramref name="diagnostics"/>),
    /// and a FIFO, device or socket there is not opened (a warning).
    /// </summary>
    public static MasterCf? ReadNextTo(string mainCfPath, List<Diagnostic>? diagnostics = null)
    {
        var file = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(mainCfPath)) ?? ".", "master.cf");
        try
        {
            if (!File.Exists(file))
            {
                return null;
            }

            if (MainCfFiles.Read(file, out var text, out _, regularOnly: true) is { } refused)
            {
                diagnostics?.AddRange(refused);
                return null;
            }

            if (LogicalLineReader.FirstTooLong(LogicalLineReader.SplitPhysical(text)) is { } tooLong)
            {
                diagnostics?.Add(LogicalLineReader.TooLong(tooLong.FirstLineIndex, tooLong.Length, tooLong.Lines, file, "master.cf entry"));
                return null;
            }

            return Parse(text, file);
        }
        catch (IO.NotRegularFileException e)
        {
            diagnostics?.Add(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.NotRegularFile, null,
                $"{e.Message} master.cf must be a regular file; it was not read, so the checks that need it were skipped.", new SourceSpan(file, 1, 1)));
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // as if there were none: per-service parameters stay "only if master.cf defines it"
        }
    }

    /// <summary>A value with each run of blanks and line breaks as one space, as <c>postconf -P</c> prints it.</summary>
    private static string Collapse(string value) =>
        value.AsSpan().IndexOfAny(" \t\r\n") < 0 ? value : string.Join(' ', value.Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Reads master.cf text as postconf does (see <see cref="MasterCfReader"/>); <paramref name="path"/> is where it came from, for diagnostics.</summary>
    public static MasterCf Parse(string text, string? path = null)
    {
        var services = new List<MasterService>();
        var shortEntries = new List<(int, int)>();
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        var entries = MasterCfReader.Read(text, path);
        foreach (var entry in entries)
        {
            if (entry.Fields.Count < 8)
            {
                shortEntries.Add((entry.Line, entry.Fields.Count));
                continue;
            }

            services.Add(new MasterService(entry.Service, entry.Type, entry.Command, entry.Line)
            {
                Options = [.. entry.Options.Select(o => new MasterOption(o.Name, Collapse(o.Value), o.NameSpan.Line, o.NameSpan.Column))],
                Entry = entry,
            });
            foreach (var option in entry.Options)
            {
                MacroReferences.AddTo(option.Value, referenced);
            }
        }

        return new MasterCf(path, services, referenced, shortEntries) { Entries = entries };
    }

    /// <summary>
    /// The entries of master.cf lines (line ends removed or not), read as master(5) says: a logical
    /// line starts with non-whitespace and continues on lines that start with whitespace; empty and
    /// comment lines are skipped, also inside an entry. Tokens are separated by whitespace, a token
    /// starting with <c>{</c> runs to its matching <c>}</c> (also across lines); each keeps its position.
    /// </summary>
    internal static List<MasterEntry> ReadEntries(IReadOnlyList<string> lines)
    {
        var entries = new List<MasterEntry>();
        var tokens = new List<MasterToken>();
        var first = -1;
        var last = -1;
        var depth = 0;
        StringBuilder? current = null;
        (int Line, int Column) start = default;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var content = line.TrimStart(' ', '\t');
            if (content.Length == 0 || content[0] == '#')
            {
                continue; // blank or comment, also between the lines of an entry
            }

            if (line[0] is not (' ' or '\t'))
            {
                Flush();
                first = i;
            }
            else if (first < 0)
            {
                continue; // a continuation before any entry (an error Postfix reports)
            }
            else if (current is not null)
            {
                current.Append(' '); // a brace token continues on this line
            }

            last = i;

            // A continuation line counts from its first non-blank character (Postfix joins the lines with one space).
            for (var c = line.Length - content.Length; c < line.Length; c++)
            {
                var ch = line[c];
                if (current is null)
                {
                    if (ch is ' ' or '\t')
                    {
                        continue;
                    }

                    current = new StringBuilder();
                    start = (i, c);
                    depth = 0;
                }

                if (depth == 0 && ch is ' ' or '\t')
                {
                    tokens.Add(new MasterToken(current.ToString(), start.Line, start.Column, i, c));
                    current = null;
                    continue;
                }

                depth += ch switch { '{' => 1, '}' when depth > 0 => -1, _ => 0 };
                current.Append(ch);
                if (depth == 0 && ch == '}' && current[0] == '{')
                {
                    tokens.Add(new MasterToken(current.ToString(), start.Line, start.Column, i, c + 1));
                    current = null;
                }
            }

            if (current is not null && depth == 0)
            {
                tokens.Add(new MasterToken(current.ToString(), start.Line, start.Column, i, line.Length));
                current = null;
            }
        }

        Flush();
        return entries;

        void Flush()
        {
            if (current is not null)
            {
                tokens.Add(new MasterToken(current.ToString(), start.Line, start.Column, last, lines[last].TrimEnd('\r').Length));
                current = null;
            }

            if (first >= 0 && tokens.Count > 0)
            {
                entries.Add(new MasterEntry([.. tokens], first, last));
            }

            tokens.Clear();
            first = -1;
        }
    }
}

/// <summary>One token of a master.cf entry and where it is (0-based lines; the end is exclusive).</summary>
internal sealed record MasterToken(string Text, int Line, int Column, int EndLine, int EndColumn);

/// <summary>One master.cf entry: its tokens and its first and last (non-comment) lines, 0-based.</summary>
internal sealed record MasterEntry(IReadOnlyList<MasterToken> Tokens, int FirstLine, int LastLine)
{
    /// <summary>The <c>-o name=value</c> and <c>-o { name = value }</c> options after the command, with the option token.</summary>
    public List<(string Name, string Value, MasterToken Token)> Options()
    {
        var options = new List<(string, string, MasterToken)>();
        for (var i = 8; i + 1 < Tokens.Count; i++)
        {
            if (Tokens[i].Text != "-o")
            {
                continue;
            }

            var token = Tokens[++i];
            var option = token.Text;
            if (option.StartsWith('{') && option.EndsWith('}'))
            {
                option = option[1..^1].Trim(); // { name = value }
            }

            var equals = option.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                options.Add((option[..equals].Trim(), option[(equals + 1)..].Trim(), token));
            }
        }

        return options;
    }
}

/// <summary>One master.cf entry: its service name, type, program (the command's first word), the line it starts on, and its <c>-o</c> options.</summary>
internal sealed record MasterService(string Name, string Type, string Program, int Line)
{
    /// <summary>The <c>-o</c> options in order.</summary>
    public IReadOnlyList<MasterOption> Options { get; init; } = [];

    /// <summary>The entry as read, with every field and the positions of its options.</summary>
    public MasterCfEntry? Entry { get; init; }
}

/// <summary>One <c>-o name=value</c> option of a master.cf entry, with the 1-based line and column of its text.</summary>
internal sealed record MasterOption(string Name, string Value, int Line, int Column);
