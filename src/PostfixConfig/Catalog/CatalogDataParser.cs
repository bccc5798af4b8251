using System.Collections.Immutable;
using System.Globalization;

namespace PostfixConfig.Catalog;

/// <summary>
/// Reads <c>tls-parameters.txt</c>: a <c>[@releases]</c> section and one <c>[name]</c> block per
/// parameter with <c>key = value</c> lines (see the file's header for the format).
/// </summary>
internal static class CatalogDataParser
{
    private static readonly FrozenKinds Kinds = new();

    public static (ImmutableArray<ParameterInfo> Parameters, PostfixReleases Releases) Parse(string text)
    {
        var parameters = new List<ParameterInfo>();
        var newest = new List<PostfixVersion>();
        var provisional = ImmutableHashSet.CreateBuilder<PostfixVersion>();
        string? section = null;
        var sectionLine = 0;
        var fields = new List<(string Key, string Value, int Line)>();

        void Flush()
        {
            if (section is null)
            {
                return;
            }

            if (section == "@releases")
            {
                foreach (var (key, value, line) in fields)
                {
                    var words = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (!PostfixVersion.TryParse(key, out var lineVersion) || words.Length is < 1 or > 2
                        || !PostfixVersion.TryParse(words[0], out var release) || release.Line != lineVersion.Line
                        || (words.Length == 2 && words[1] != "provisional"))
                    {
                        throw Error(line, "expected 'X.Y = X.Y.Z [provisional]'");
                    }

                    newest.Add(release);
                    if (words.Length == 2)
                    {
                        provisional.Add(release);
                    }
                }
            }
            else
            {
                parameters.Add(BuildParameter(section, sectionLine, fields));
            }

            fields.Clear();
        }

        // Read as spans: this runs in every process before the first validation (start-up cost).
        var lineNo = 0;
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            lineNo++;
            var trimmed = raw.Trim();
            if (trimmed.Length == 0 || trimmed[0] == '#')
            {
                continue;
            }

            if (trimmed[0] == '[')
            {
                if (trimmed[^1] != ']')
                {
                    throw Error(lineNo, "unterminated section header");
                }

                Flush();
                section = trimmed[1..^1].Trim().ToString();
                sectionLine = lineNo;
                continue;
            }

            var eq = trimmed.IndexOf('=');
            if (eq <= 0 || section is null)
            {
                throw Error(lineNo, "expected 'key = value' inside a section");
            }

            fields.Add((Key(trimmed[..eq].Trim()), trimmed[(eq + 1)..].Trim().ToString(), lineNo));
        }

        Flush();
        if (newest.Count == 0)
        {
            throw Error(1, "the [@releases] section is missing");
        }

        newest.Sort();
        parameters.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        for (var i = 1; i < parameters.Count; i++)
        {
            if (parameters[i].Name == parameters[i - 1].Name)
            {
                throw Error(0, $"parameter {parameters[i].Name} is described twice");
            }
        }

        return ([.. parameters], new PostfixReleases([.. newest], provisional.ToImmutable()));
    }

    private static ParameterInfo BuildParameter(string name, int line, List<(string Key, string Value, int Line)> fields)
    {
        string? Get(string key)
        {
            string? result = null;
            foreach (var f in fields)
            {
                if (f.Key == key)
                {
                    result = result is null ? f.Value : throw Error(f.Line, $"{name}: '{key}' given twice");
                }
            }

            return result;
        }

        string Require(string key) => Get(key) ?? throw Error(line, $"{name}: '{key}' is required");

        VersionGate Gate(string text, int at)
        {
            try
            {
                return VersionGate.Parse(text);
            }
            catch (FormatException e)
            {
                throw Error(at, $"{name}: {e.Message}");
            }
        }

        VersionGate? OptionalGate(string key) => Get(key) is { } g ? Gate(g, line) : null;

        foreach (var f in fields)
        {
            if (!f.Key.StartsWith("default@", StringComparison.Ordinal) && !KnownKeys.Contains(f.Key))
            {
                throw Error(f.Line, $"{name}: unknown key '{f.Key}'");
            }
        }

        var scope = Require("scope") switch
        {
            "server" => ParameterScope.Server,
            "client" => ParameterScope.Client,
            "lmtp" => ParameterScope.Lmtp,
            "tlsproxy" => ParameterScope.TlsProxy,
            "postscreen" => ParameterScope.Postscreen,
            "shared" => ParameterScope.Shared,
            var s => throw Error(line, $"{name}: unknown scope '{s}'"),
        };
        var kindText = Require("kind");
        if (!Kinds.TryGet(kindText, out var kind))
        {
            throw Error(line, $"{name}: unknown kind '{kindText}'");
        }

        var since = Gate(Require("since"), line);
        var values = ImmutableArray<EnumValue>.Empty;
        var valuesText = Get("values");
        var hasValues = kind is ParameterKind.Enum or ParameterKind.CipherGrade or ParameterKind.Digest;
        if (hasValues != (valuesText is not null))
        {
            throw Error(line, hasValues ? $"{name}: 'values' is required for kind {kindText}" : $"{name}: 'values' is only for enumerations");
        }

        if (valuesText is not null)
        {
            var list = ImmutableArray.CreateBuilder<EnumValue>();
            foreach (var token in valuesText.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var at = token.IndexOf('@', StringComparison.Ordinal);
                if (at == 0)
                {
                    throw Error(line, $"{name}: the value '{token}' has no word before '@'");
                }

                list.Add(at < 0 ? new EnumValue(token, since) : new EnumValue(token[..at], Gate(token[(at + 1)..], line)));
            }

            values = list.ToImmutable();
        }

        char? unit = null;
        if (Get("unit") is { } u)
        {
            if (kind != ParameterKind.Time || u.Length != 1 || !"smhdw".Contains(u[0], StringComparison.Ordinal))
            {
                throw Error(line, $"{name}: 'unit' is one of s, m, h, d, w and only for times");
            }

            unit = u[0];
        }
        else if (kind == ParameterKind.Time)
        {
            throw Error(line, $"{name}: 'unit' is required for times");
        }

        (int, int)? range = null;
        if (Get("range") is { } r)
        {
            var dots = r.Split("..");
            if (kind != ParameterKind.Integer || dots.Length != 2
                || !int.TryParse(dots[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var min)
                || !int.TryParse(dots[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var max) || min > max)
            {
                throw Error(line, $"{name}: 'range' is MIN..MAX and only for integers");
            }

            range = (min, max);
        }

        var changes = ImmutableArray.CreateBuilder<(VersionGate, string)>();
        foreach (var f in fields)
        {
            if (f.Key.StartsWith("default@", StringComparison.Ordinal))
            {
                changes.Add((Gate(f.Key["default@".Length..], f.Line), f.Value));
            }
        }

        var replacements = Get("replacement") is { } rep
            ? [.. rep.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)]
            : ImmutableArray<string>.Empty;

        return new ParameterInfo(
            name,
            scope,
            kind,
            values,
            since,
            OptionalGate("removed"),
            OptionalGate("deprecated"),
            replacements,
            OptionalGate("postconf-warns"),
            OptionalGate("obsolete"),
            unit,
            range,
            Require("default"),
            changes.ToImmutable(),
            Require("description"));
    }

    /// <summary>The key as a string, without allocating for the keys every block uses.</summary>
    private static string Key(ReadOnlySpan<char> key)
    {
        foreach (var known in KnownKeyList)
        {
            if (key.SequenceEqual(known))
            {
                return known;
            }
        }

        return key.ToString();
    }

    private static readonly string[] KnownKeyList =
    [
        "scope", "kind", "values", "since", "removed", "deprecated", "replacement", "postconf-warns",
        "obsolete", "unit", "range", "default", "description",
    ];

    private static readonly HashSet<string> KnownKeys =
    [
        "scope", "kind", "values", "since", "removed", "deprecated", "replacement", "postconf-warns",
        "obsolete", "unit", "range", "default", "description",
    ];

    private static FormatException Error(int line, string message) =>
        new(string.Create(CultureInfo.InvariantCulture, $"tls-parameters.txt line {line}: {message}."));

    private sealed class FrozenKinds
    {
        private readonly Dictionary<string, ParameterKind> _map = new(StringComparer.Ordinal)
        {
            ["string"] = ParameterKind.String,
            ["boolean"] = ParameterKind.Boolean,
            ["integer"] = ParameterKind.Integer,
            ["time"] = ParameterKind.Time,
            ["enum"] = ParameterKind.Enum,
            ["grade"] = ParameterKind.CipherGrade,
            ["protocols"] = ParameterKind.ProtocolList,
            ["list"] = ParameterKind.List,
            ["file"] = ParameterKind.File,
            ["filelist"] = ParameterKind.FileList,
            ["map"] = ParameterKind.MapReference,
            ["maplist"] = ParameterKind.MapList,
            ["digest"] = ParameterKind.Digest,
        };

        public bool TryGet(string text, out ParameterKind kind) => _map.TryGetValue(text, out kind);
    }
}
