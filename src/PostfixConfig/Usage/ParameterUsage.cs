using PostfixConfig.Catalog;
using PostfixConfig.MainCf;
using PostfixConfig.Text;

namespace PostfixConfig.Usage;

/// <summary>Why postconf knows a parameter name, or that it does not.</summary>
internal enum ParameterUse
{
    /// <summary>postconf would report it as unused.</summary>
    Unused,

    /// <summary>A parameter of the release (<c>postconf -d</c> lists it).</summary>
    BuiltIn,

    /// <summary>A legacy name that a successor's default still reads (<see cref="LegacyParameters"/>).</summary>
    Legacy,

    /// <summary><c>process_name</c>, <c>process_id</c>, <c>service_name</c>: an assignment is ignored.</summary>
    ReadOnly,

    /// <summary>A per-service name of a delivery or spawn service that master.cf defines (<c>relay_destination_concurrency_limit</c>).</summary>
    Service,

    /// <summary>A parameter of the user's own that something uses: a <c>$name</c>, a restriction class, a database client setting.</summary>
    UserDefined,
}

/// <summary>One master.cf entry as the decision needs it: its service, type and command fields and its <c>-o</c> options in order.</summary>
/// <param name="Service">The service field.</param>
/// <param name="Type">The type field (<c>inet</c>, <c>unix</c>, ...): entries of one service and type share their <c>-o</c> name space.</param>
/// <param name="Command">The command field exactly as written.</param>
/// <param name="Options">The <c>-o name=value</c> options in order (a later one of a name wins).</param>
internal sealed record UsageEntry(string Service, string Type, string Command, IReadOnlyList<(string Name, string Value)> Options);

/// <summary>A value postconf cannot expand ("truncated macro reference", ...): postconf stops with "fatal: macro processing error".</summary>
/// <param name="Entry">The master.cf entry (index into the entries) whose <c>-o</c> option it is, or <see langword="null"/> for main.cf.</param>
/// <param name="Parameter">The parameter whose value it is.</param>
/// <param name="Error">postconf's words for what is wrong.</param>
internal sealed record UnreadableValue(int? Entry, string Parameter, string Error);

/// <summary>A <c>$name</c> (or a restriction class) that names no parameter with a value: postconf's "undefined parameter".</summary>
/// <param name="Name">The name referred to.</param>
/// <param name="Entry">The master.cf entry (index into the entries) whose <c>-o</c> value refers to it, or <see langword="null"/> for main.cf.</param>
/// <param name="Parameter">The parameter whose value refers to it.</param>
/// <param name="Offset">Where in that value (0-based), or -1 for a restriction class that the value does not spell out (it comes from a reference).</param>
/// <param name="Listed">Whether it is a restriction class that <c>smtpd_restriction_classes</c> lists, rather than a <c>$name</c>.</param>
internal sealed record UndefinedName(string Name, int? Entry, string Parameter, int Offset, bool Listed = false);

/// <summary>
/// postconf's decision of which parameter names are used, exactly: built-in parameters of the release,
/// the legacy names, the read-only ones, the per-service names of master.cf's delivery and spawn
/// services, and the names of the user's own that a value refers to as <c>$name</c> (also inside both
/// branches of <c>${name?...:...}</c>), that <c>smtpd_restriction_classes</c> lists, or that a legacy
/// database client table (<c>mysql:name</c>) implies. main.cf is one name space; the <c>-o</c> options of
/// the master.cf entries of one service name and type are another (postconf keeps one table per
/// <c>name/type</c>, shared by every such entry from the first that has an option on, a later value of a
/// name winning), which sees only itself and main.cf. lint, validate, import, merge and
/// apply take their verdict on names from here (postconf_user.c, postconf_dbms.c, postconf_service.c,
/// postconf_unused.c).
/// </summary>
/// <remarks>
/// postconf also scans the defaults of the parameters main.cf leaves alone; from 3.4 on those refer only
/// to parameters of the release, to legacy names or to names inside raw values, so that step adds nothing
/// and is left out. The unused verdict does not depend on the order of the scans.
/// </remarks>
internal sealed class ParameterUsage
{
    private readonly ParameterCatalog _catalog;
    private readonly PostfixVersion _version;
    private readonly bool _hasMasterCf;
    private readonly Dictionary<string, string> _main;
    private readonly Dictionary<string, string>?[] _entries;
    private readonly HashSet<string> _service = new(StringComparer.Ordinal);
    private readonly HashSet<string> _validated = new(StringComparer.Ordinal);
    private readonly HashSet<string>[] _local;
    private readonly List<UndefinedName> _undefined = [];
    private readonly List<(int? Entry, string Name)> _readOnly = [];
    private readonly List<UnreadableValue> _unreadable = [];
    private readonly Dictionary<string, int>?[] _owners;
    private readonly HashSet<Dictionary<string, string>> _scanned = new(ReferenceEqualityComparer.Instance);

    private ParameterUsage(IReadOnlyDictionary<string, string> main, IReadOnlyList<UsageEntry> entries, bool hasMasterCf, PostfixVersion version, ParameterCatalog catalog)
    {
        _catalog = catalog;
        _version = version;
        _hasMasterCf = hasMasterCf;
        _main = new Dictionary<string, string>(main, StringComparer.Ordinal);
        _entries = new Dictionary<string, string>?[entries.Count];
        _local = new HashSet<string>[entries.Count];
        _owners = new Dictionary<string, int>?[entries.Count];

        // pcf_register_user_parameters(): one dictionary per "name/type", filled by every -o of such entries
        // in order; an entry sees it once it exists (an entry before the first one with an option has none).
        var spaces = new Dictionary<string, (Dictionary<string, string> Values, Dictionary<string, int> Owner)>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            _local[i] = new HashSet<string>(StringComparer.Ordinal);
            var key = entries[i].Service + "/" + entries[i].Type;
            if (entries[i].Options.Count > 0 && !spaces.ContainsKey(key))
            {
                spaces[key] = (new Dictionary<string, string>(StringComparer.Ordinal), new Dictionary<string, int>(StringComparer.Ordinal));
            }

            if (spaces.TryGetValue(key, out var space))
            {
                foreach (var (name, value) in entries[i].Options)
                {
                    space.Values[name] = value;
                    space.Owner[name] = i;
                }

                _entries[i] = space.Values;
                _owners[i] = space.Owner;
            }

            _service.UnionWith(ServiceParameters.DefinedBy(entries[i].Service, entries[i].Command, catalog, version));
        }
    }

    /// <summary>What postconf warns is undefined ("undefined parameter: NAME"), one per occurrence.</summary>
    public IReadOnlyList<UndefinedName> Undefined => _undefined;

    /// <summary>Assignments of read-only parameters (main.cf: <see langword="null"/> entry), which Postfix drops.</summary>
    public IReadOnlyList<(int? Entry, string Name)> ReadOnlyAssignments => _readOnly;

    /// <summary>Values postconf cannot expand, on which it stops ("fatal: macro processing error").</summary>
    public IReadOnlyList<UnreadableValue> Unreadable => _unreadable;

    /// <summary>
    /// Decides for main.cf <paramref name="main"/> (name to value, the last definition of each) and the
    /// master.cf <paramref name="entries"/>. <paramref name="hasMasterCf"/> says whether a master.cf is known
    /// at all: without one, the per-service names of Debian's stock master.cf count as parameters.
    /// <paramref name="version"/> is the resolved release.
    /// </summary>
    public static ParameterUsage Decide(IReadOnlyDictionary<string, string> main, IReadOnlyList<UsageEntry> entries, bool hasMasterCf, PostfixVersion version, ParameterCatalog catalog)
    {
        var usage = new ParameterUsage(main, entries, hasMasterCf, version, catalog);

        // Entries of one name/type scan one shared table: postconf scans it once per entry with the same
        // outcome, so it is scanned once here and what it validates is given to every entry that shares it.
        for (var i = 0; i < entries.Count; i++)
        {
            if (usage._entries[i] is { } space && usage._scanned.Add(space))
            {
                usage.ScanNameSpace(i);
            }
        }

        for (var i = 0; i < entries.Count; i++)
        {
            for (var j = i + 1; j < entries.Count; j++)
            {
                if (usage._entries[i] is { } space && ReferenceEquals(space, usage._entries[j]))
                {
                    usage._local[i].UnionWith(usage._local[j]);
                    usage._local[j].UnionWith(usage._local[i]);
                }
            }
        }

        usage.ScanNameSpace(null);
        return usage;
    }

    /// <summary>Why postconf knows the main.cf parameter <paramref name="name"/>, or <see cref="ParameterUse.Unused"/>.</summary>
    public ParameterUse Of(string name)
    {
        var known = StaticUse(name);
        return known != ParameterUse.Unused ? known : _validated.Contains(name) ? ParameterUse.UserDefined : ParameterUse.Unused;
    }

    /// <summary>Whether the <c>-o</c> option <paramref name="name"/> of entry <paramref name="entry"/> is used (known globally or in that entry).</summary>
    public bool IsUsedIn(int entry, string name) => Of(name) != ParameterUse.Unused || _local[entry].Contains(name);

    /// <summary>Whether <paramref name="name"/> is a parameter of the release (as <c>postconf -d</c> lists it).</summary>
    public bool IsBuiltIn(string name)
    {
        if (_catalog.Find(name) is { } p)
        {
            return p.IsKnownIn(_version);
        }

        return _catalog.IsKnownName(name, _version) && !(_hasMasterCf && ServiceParameters.IsFromStockMasterCf(name));
    }

    // The read-only and legacy tables are those of postconf 3.4 and later (the releases the rules were read from).
    private ParameterUse StaticUse(string name) =>
        IsReadOnly(name) && IsModern ? ParameterUse.ReadOnly
        : IsBuiltIn(name) ? ParameterUse.BuiltIn
        : IsModern && LegacyParameters.Find(name, _version) is not null ? ParameterUse.Legacy
        : _service.Contains(name) ? ParameterUse.Service
        : ParameterUse.Unused;

    private bool IsGloballyKnown(string name) => StaticUse(name) != ParameterUse.Unused || _validated.Contains(name);

    private bool IsModern => _version.Line >= new PostfixVersion(3, 4);

    private static bool IsReadOnly(string name) => name is "process_name" or "process_id" or "service_name";

    /// <summary>The entry whose <c>-o</c> gave <paramref name="parameter"/> its value in the name space that <paramref name="entry"/> scans.</summary>
    private int? Owner(int? entry, string parameter) =>
        entry is { } e && _owners[e] is { } owners && owners.TryGetValue(parameter, out var owner) ? owner : entry;

    /// <summary>pcf_scan_user_parameter_namespace(): the restriction classes, then every value of the name space.</summary>
    private void ScanNameSpace(int? entry)
    {
        var values = entry is { } e ? _entries[e]! : _main;
        if (values.TryGetValue("smtpd_restriction_classes", out var classList))
        {
            var expanded = new MacroExpander(name => values.GetValueOrDefault(name)).Expand(classList).Value ?? string.Empty;
            var from = 0;
            foreach (var word in expanded.Split(ClassSeparators, StringSplitOptions.RemoveEmptyEntries))
            {
                // postconf warns once per listed word; each points at the word where the value spells it out.
                var offset = WordAt(classList, word, from);
                from = offset < 0 ? from : offset + word.Length;
                Validate(word, entry, database: false, "smtpd_restriction_classes", offset, listed: true);
            }
        }

        foreach (var (name, value) in values.ToList())
        {
            if (IsReadOnly(name) && IsModern)
            {
                _readOnly.Add((Owner(entry, name), name));
                values.Remove(name);
                continue;
            }

            var builtIn = IsBuiltIn(name);
            if (builtIn && ParameterExpansion.RawParameters.Contains(name))
            {
                continue;
            }

            var scan = MacroScanner.Scan(value, _version.Line >= new PostfixVersion(3, 6));
            if (scan.Error is { } error)
            {
                _unreadable.Add(new UnreadableValue(Owner(entry, name), name, error));
            }

            foreach (var reference in scan.References)
            {
                Validate(reference.Name, entry, database: false, name, reference.Offset);
            }

            if (builtIn || StaticUse(name) == ParameterUse.Service)
            {
                var expanded = Expand(value, entry);
                if (expanded.Error is { } failure && scan.Error is null)
                {
                    // pcf_expand_parameter_value(): the value expanded recursively, where a loop through the
                    // names it refers to (even inside a conditional) makes postconf stop.
                    _unreadable.Add(new UnreadableValue(Owner(entry, name), name, failure));
                }

                DatabaseNames(expanded.Value ?? string.Empty, entry, recurse: true);
            }
        }
    }

    private static readonly char[] ClassSeparators = [',', ' ', '\t', '\r', '\n'];

    /// <summary>Where <paramref name="word"/> stands as a whole word in <paramref name="text"/> at or after <paramref name="from"/>, or -1.</summary>
    private static int WordAt(string text, string word, int from)
    {
        for (var i = text.IndexOf(word, from, StringComparison.Ordinal); i >= 0; i = text.IndexOf(word, i + 1, StringComparison.Ordinal))
        {
            var end = i + word.Length;
            if ((i == 0 || Array.IndexOf(ClassSeparators, text[i - 1]) >= 0) && (end == text.Length || Array.IndexOf(ClassSeparators, text[end]) >= 0))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>pcf_flag_user_parameter(): a name that has a value in the scope becomes valid there.</summary>
    private void Validate(string name, int? entry, bool database, string parameter, int offset, bool listed = false)
    {
        var supplied = false;
        if (entry is { } e && _entries[e]!.ContainsKey(name))
        {
            supplied = true;
            _local[e].Add(name);
        }
        else if (_main.ContainsKey(name))
        {
            supplied = true;
            _validated.Add(name);
        }

        if (entry is null)
        {
            for (var i = 0; i < _entries.Length; i++)
            {
                if (_entries[i]?.ContainsKey(name) == true)
                {
                    supplied = true;
                    _local[i].Add(name);
                }
            }
        }

        if (!supplied && !database && !IsGloballyKnown(name))
        {
            _undefined.Add(new UndefinedName(name, Owner(entry, parameter), parameter, offset, listed));
        }
    }

    /// <summary>pcf_expand_parameter_value(): the value expanded in the scope (the entry's options, main.cf, defaults).</summary>
    private MacroExpansion Expand(string value, int? entry)
    {
        var options = entry is { } e ? _entries[e] : null;
        string? Lookup(string name)
        {
            if (options is not null && options.TryGetValue(name, out var local))
            {
                return local;
            }

            if (_main.TryGetValue(name, out var global))
            {
                return global;
            }

            if (_service.Contains(name) && ServiceParameters.Find(_catalog, name, _version) is { } service)
            {
                return "$" + service.Default;
            }

            // A default outside TLS as postconf -d prints it (a stand-in, never empty, for one that depends on the host).
            return IsGloballyKnown(name)
                ? _catalog.Find(name)?.DefaultIn(_version) ?? OtherDefaults.Find(name, _version)?.Value ?? string.Empty
                : null;
        }

        return new MacroExpander(Lookup).Expand(value);
    }

    /// <summary>pcf_register_dbms_helper(): <c>TYPE:NAME</c> words of a client type validate <c>NAME_SUFFIX</c>.</summary>
    private void DatabaseNames(string text, int? entry, bool recurse)
    {
        foreach (var word in SplitQuoted(text))
        {
            if (word[0] == '{')
            {
                if (_version.Line >= new PostfixVersion(3, 6) && recurse)
                {
                    DatabaseNames(Unbrace(word), entry, recurse);
                }

                continue;
            }

            var rest = word;
            string type;
            while (true)
            {
                var colon = rest.IndexOf(':', StringComparison.Ordinal);
                if (colon < 0)
                {
                    type = string.Empty;
                    rest = string.Empty;
                    break;
                }

                type = rest[..colon];
                rest = rest[(colon + 1)..];
                if (!DatabaseClients.IsAdapter(type, _version))
                {
                    break;
                }
            }

            if (type.Length == 0 && rest.Length == 0)
            {
                continue; // no ':' left
            }

            if (rest.StartsWith('/') || rest.StartsWith('.'))
            {
                continue; // a client configuration file (postconf checks what is in it), or relative to the queue
            }

            if (rest.StartsWith('{'))
            {
                var next = recurse && !(_version.Line >= new PostfixVersion(3, 8) && DatabaseClients.IsPatternType(type));
                DatabaseNames(Unbrace(rest), entry, next);
                continue;
            }

            if (DatabaseClients.Suffixes(type, _version) is { } suffixes)
            {
                foreach (var suffix in suffixes)
                {
                    Validate(rest + "_" + suffix, entry, database: true, string.Empty, -1);
                }
            }
        }
    }

    /// <summary><c>extpar(EXTPAR_FLAG_NONE)</c>: the text inside the leading braces (all after <c>{</c> when they do not close).</summary>
    private static string Unbrace(string word)
    {
        var level = 0;
        for (var i = 0; i < word.Length; i++)
        {
            if (word[i] == '{')
            {
                level++;
            }
            else if (word[i] == '}' && --level == 0)
            {
                return word[1..i];
            }
        }

        return word[1..];
    }

    /// <summary><c>mystrtokq(", \t\r\n", "{}")</c>: words, with text between balanced braces kept together.</summary>
    internal static IEnumerable<string> SplitQuoted(string s)
    {
        var i = 0;
        while (i < s.Length)
        {
            while (i < s.Length && s[i] is ',' or ' ' or '\t' or '\r' or '\n')
            {
                i++;
            }

            if (i == s.Length)
            {
                yield break;
            }

            var start = i;
            var level = 0;
            for (; i < s.Length; i++)
            {
                var c = s[i];
                if (c == '{')
                {
                    level++;
                }
                else if (level > 0 && c == '}')
                {
                    level--;
                }
                else if (level == 0 && c is ',' or ' ' or '\t' or '\r' or '\n')
                {
                    break;
                }
            }

            yield return s[start..i];
        }
    }
}
