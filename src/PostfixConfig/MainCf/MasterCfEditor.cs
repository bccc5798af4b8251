using System.Text;
using PostfixConfig.Catalog;

namespace PostfixConfig.MainCf;

/// <summary>
/// Edits an existing master.cf the way <c>postconf -P</c> sets a service parameter, but in place:
/// for each managed service, the <c>-o</c> options of its entry get the new values where they
/// differ (the option's own text is replaced, wherever it is in the entry), options the entry lacks
/// are added on their own lines after the entry's last line, and a service master.cf does not have
/// is appended as a new entry. Every other byte, comments inside entries included, stays.
/// </summary>
/// <remarks>
/// An entry is found by its service field (<see cref="ServiceSettings.Listen"/>, or the service's
/// name) and type <c>inet</c>; when none has that field, the entry that carries the service's own
/// <c>syslog_name</c> (a changed listen address), or another catalog name for the same port (a changed
/// name), is the service under its old field, and its field is replaced, so that the old listener does
/// not stay beside the new one. For the port 25 service of a host that runs postscreen on port 25,
/// the <c>smtpd pass</c> entry is the one that takes smtpd's overrides.
/// </remarks>
internal sealed class MasterCfEditor
{
    /// <summary>The comment written before entries that a merge appends.</summary>
    public const string AppendComment = "# Added by postfix-config merge";

    private readonly List<string> _lines;
    private readonly string _newline;
    private readonly bool _endsWithNewline;
    private readonly List<string> _appended = [];

    public MasterCfEditor(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        _newline = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        _endsWithNewline = text.Length == 0 || text.EndsWith('\n');
        _lines = [.. text.Split('\n').Select(l => l.TrimEnd('\r'))];
        if (_endsWithNewline && _lines.Count > 0 && _lines[^1].Length == 0)
        {
            _lines.RemoveAt(_lines.Count - 1);
        }
    }

    /// <summary>Whether anything changed.</summary>
    public bool HasEdits { get; private set; }

    /// <summary>Applies one service; returns the changes (service/type/parameter names with old and new values).</summary>
    /// <param name="service">The service as the configuration gives it.</param>
    /// <param name="definition">Its catalog definition.</param>
    /// <param name="managed">The service fields of every service the configuration manages: an entry under one of them is that service's own and never taken as the old entry of another.</param>
    public List<MainCfChange> Apply(ServiceSettings service, ServiceDefinition definition, IReadOnlySet<string>? managed = null)
    {
        var changes = new List<MainCfChange>();
        var type = definition.Fields[0];
        var field = service.Listen ?? service.Name;
        var entries = Entries();
        var found = entries.LastOrDefault(e => e.Service == field && e.Type == type);
        if (found.Entry is not null && definition.Role == ServiceRole.Port25 && found.Program == "postscreen")
        {
            found = entries.LastOrDefault(e => e.Service == "smtpd" && e.Type == "pass");
        }

        var path = $"{field}/{type}";
        if (found.Entry is null && Renamed(service, definition, type, field, entries, managed) is { } previous)
        {
            // The service's entry under its old service field (another listen address, or a name):
            // the service moved, so its entry is renamed, not joined by a second one.
            var token = previous.Tokens[0];
            var line = _lines[token.Line];
            var rest = line[token.EndColumn..];
            var spaces = rest.Length - rest.TrimStart(' ', '\t').Length;
            var gap = Math.Max(1, token.EndColumn - token.Column + spaces - field.Length);
            _lines[token.Line] = line[..token.Column] + field + new string(' ', gap) + rest[spaces..];
            changes.Add(new MainCfChange(path, MainCfChangeKind.Replaced, $"{token.Text}/{type}", $"{field}/{type}", RenderedFileKind.MasterCf));
            HasEdits = true;
            entries = Entries();
            found = entries.LastOrDefault(e => e.Service == field && e.Type == type);
        }

        var entry = found.Entry;

        if (entry is null)
        {
            var lines = MasterCfEntries.Lines(service, definition);
            if (_appended.Count == 0)
            {
                _appended.Add(string.Empty);
                _appended.Add(AppendComment);
            }

            _appended.AddRange(lines);
            changes.AddRange(MasterCfEntries.OptionOrder(service, definition)
                .Select(n => new MainCfChange($"{path}/{n}", MainCfChangeKind.Added, null, ServiceValueText(service.Overrides[n]), RenderedFileKind.MasterCf)));
            changes.Insert(0, new MainCfChange(path, MainCfChangeKind.Added, null, lines[0], RenderedFileKind.MasterCf));
            HasEdits = true;
            return changes;
        }

        var replacements = new List<(MasterToken Token, string Option)>();
        var additions = new List<string>();
        var options = entry.Options();
        foreach (var name in MasterCfEntries.OptionOrder(service, definition))
        {
            var option = MasterCfEntries.Option(name, service.Overrides[name]);
            var wanted = ServiceValueText(service.Overrides[name]);
            var existing = options.Where(o => o.Name == name).ToList();
            if (existing.Count == 0)
            {
                additions.Add("  -o " + option);
                changes.Add(new MainCfChange($"{path}/{name}", MainCfChangeKind.Added, null, wanted, RenderedFileKind.MasterCf));
            }
            else if (existing.Any(o => o.Value != wanted))
            {
                replacements.AddRange(existing.Select(o => (o.Token, option)));
                changes.Add(new MainCfChange($"{path}/{name}", MainCfChangeKind.Replaced, existing[^1].Value, wanted, RenderedFileKind.MasterCf));
            }
        }

        // From the last option backwards, so that the positions of earlier ones stay right.
        var lastLine = entry.LastLine;
        foreach (var (token, option) in replacements.OrderByDescending(r => r.Token.Line).ThenByDescending(r => r.Token.Column))
        {
            _lines[token.Line] = _lines[token.Line][..token.Column] + option + _lines[token.EndLine][token.EndColumn..];
            _lines.RemoveRange(token.Line + 1, token.EndLine - token.Line);
            lastLine -= token.EndLine - token.Line;
        }

        _lines.InsertRange(lastLine + 1, additions);
        HasEdits |= changes.Count > 0;
        return changes;
    }

    /// <summary>
    /// The entry a service had under another service field, when no entry has the new field: an
    /// <c>smtpd</c> entry of the same type that carries the service's own <c>syslog_name</c>
    /// (<c>postfix/submission</c>, which render and merge write into every managed service's entry: the
    /// listen address changed), or whose field is the catalog name of a service for the same role and
    /// port (<c>smtps</c> for <c>submissions</c>: the name changed; both would bind port 465). Null
    /// when there is none, or more than one.
    /// </summary>
    private static MasterEntry? Renamed(ServiceSettings service, ServiceDefinition definition, string type, string field,
        List<(string Service, string Type, string Program, MasterEntry Entry)> entries, IReadOnlySet<string>? managed)
    {
        if (definition.Role == ServiceRole.Port25)
        {
            return null;
        }

        var tag = service.Overrides.TryGetValue("syslog_name", out var value) ? ServiceValueText(value) : null;
        var sameEndpoint = service.Listen is null
            ? ProfileCatalog.Default.Services.Where(s => s.Name != definition.Name && s.Role == definition.Role && s.Port == definition.Port).Select(s => s.Name).ToHashSet(StringComparer.Ordinal)
            : [];
        var candidates = entries
            .Where(e => e.Type == type && e.Service != field && e.Program == "smtpd" && managed?.Contains(e.Service) != true)
            .Where(e => sameEndpoint.Contains(e.Service) || (tag is not null && e.Entry.Options().Any(o => o.Name == "syslog_name" && o.Value == tag)))
            .Select(e => e.Entry)
            .Distinct()
            .ToList();
        return candidates.Count == 1 ? candidates[0] : null;
    }

    /// <summary>The edited text, with the file's own line ends.</summary>
    public string Text()
    {
        var all = _lines.Concat(_appended).ToList();
        var sb = new StringBuilder();
        for (var i = 0; i < all.Count; i++)
        {
            sb.Append(all[i]);
            if (i < all.Count - 1 || _endsWithNewline || _appended.Count > 0)
            {
                sb.Append(_newline);
            }
        }

        return sb.ToString();
    }

    /// <summary>A value as the <c>-o</c> option carries it (list items joined with commas).</summary>
    private static string ServiceValueText(PostfixValue value) => value.MasterCfText;

    /// <summary>The entries of the current lines, with their service field, type and program.</summary>
    private List<(string Service, string Type, string Program, MasterEntry Entry)> Entries() =>
        [.. MasterCf.ReadEntries(_lines).Where(e => e.Tokens.Count >= 8).Select(e => (e.Tokens[0].Text, e.Tokens[1].Text, e.Tokens[7].Text, e))];
}
