using System.Collections.Immutable;
using System.Globalization;
using System.Reflection;

namespace PostfixConfig.Catalog;

/// <summary>
/// The one parameter catalog that the reader, validator, renderer and CLI all use: every Postfix
/// parameter whose name contains <c>tls</c> (plus a few TLS-related others such as
/// <c>smtp_dns_support_level</c>) with its kind, allowed values, default per release and history,
/// and the names of all other Postfix parameters for typo detection.
/// </summary>
/// <remarks>
/// The facts live in two data files embedded in the library
/// (<c>Catalog/Data/tls-parameters.txt</c> and <c>Catalog/Data/postfix-parameters.txt</c>), and tests
/// compare them with <c>postconf -d</c> of every release line. <see cref="Default"/> is loaded on first
/// use. This type is immutable and thread-safe.
/// </remarks>
public sealed class ParameterCatalog
{
    private static readonly Lazy<ParameterCatalog> DefaultCatalog = new(LoadEmbedded);

    // Plain dictionaries, never changed after construction (so safe to read from any thread):
    // frozen ones look up a little faster but cost more to build than a small run spends reading.
    private readonly Dictionary<string, ParameterInfo> _byName;
    private readonly Dictionary<string, (PostfixVersion Since, PostfixVersion? Removed)> _allNames;
    private readonly Lazy<NameSuggester> _suggester;

    private ParameterCatalog(
        ImmutableArray<ParameterInfo> parameters,
        PostfixReleases releases,
        Dictionary<string, (PostfixVersion Since, PostfixVersion? Removed)> allNames)
    {
        Parameters = parameters;
        Releases = releases;
        _byName = new Dictionary<string, ParameterInfo>(parameters.Length, StringComparer.Ordinal);
        foreach (var p in parameters)
        {
            _byName.Add(p.Name, p);
        }

        _allNames = allNames;
        _suggester = new Lazy<NameSuggester>(() => new NameSuggester(_byName.Keys.Concat(_allNames.Keys)));
    }

    /// <summary>The catalog embedded in this library.</summary>
    public static ParameterCatalog Default => DefaultCatalog.Value;

    /// <summary>Every parameter described in detail, sorted by name (ordinal).</summary>
    public ImmutableArray<ParameterInfo> Parameters { get; }

    /// <summary>The release lines the catalog covers.</summary>
    internal PostfixReleases Releases { get; }

    /// <summary>Looks a parameter up by its exact name.</summary>
    public ParameterInfo? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The detailed parameters that <c>postconf -d</c> of <paramref name="version"/> lists, sorted by name.</summary>
    public IEnumerable<ParameterInfo> ParametersIn(PostfixVersion version)
    {
        var v = Releases.Resolve(version);
        return Parameters.Where(p => p.IsKnownIn(v));
    }

    /// <summary>
    /// Whether <paramref name="name"/> is a Postfix parameter in some release (detailed or not).
    /// </summary>
    public bool IsKnownName(string name) => _byName.ContainsKey(name) || _allNames.ContainsKey(name);

    /// <summary>
    /// Whether <paramref name="name"/> is a parameter of <paramref name="version"/>. For names the
    /// catalog only knows by name this is lenient (release lines missing from the reference
    /// data count as having the name).
    /// </summary>
    public bool IsKnownName(string name, PostfixVersion version)
    {
        var v = Releases.Resolve(version);
        if (_byName.TryGetValue(name, out var p))
        {
            return p.IsKnownIn(v);
        }

        return _allNames.TryGetValue(name, out var range)
            && v.Line >= range.Since
            && (range.Removed is not { } removed || v.Line < removed);
    }

    /// <summary>Every parameter name the catalog knows only by name (the detailed ones may be listed too), with the lines that list it.</summary>
    internal IEnumerable<(string Name, PostfixVersion Since, PostfixVersion? Removed)> NamedParameters =>
        _allNames.Select(kv => (kv.Key, kv.Value.Since, kv.Value.Removed));

    /// <summary>The first release line that knows a non-detailed name, or <see langword="null"/>.</summary>
    public PostfixVersion? NameSince(string name) =>
        _byName.TryGetValue(name, out var p) ? p.Since.First : _allNames.TryGetValue(name, out var r) ? r.Since : null;

    /// <summary>
    /// The known parameter name closest to <paramref name="name"/> (by edit distance), for
    /// "did you mean" hints, or <see langword="null"/> when nothing is close.
    /// </summary>
    public string? Suggest(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _suggester.Value.Suggest(name);
    }

    private static ParameterCatalog LoadEmbedded()
    {
        var assembly = typeof(ParameterCatalog).Assembly;
        return Load(ReadResource(assembly, "PostfixConfig.Catalog.tls-parameters.txt"), ReadResource(assembly, "PostfixConfig.Catalog.postfix-parameters.txt"));
    }

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded resource {name} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Builds a catalog from the text of the two data files (used by tests and tools).</summary>
    /// <exception cref="FormatException">The data is malformed; the message names the line.</exception>
    internal static ParameterCatalog Load(string tlsParameters, string allNames)
    {
        var (parameters, releases) = CatalogDataParser.Parse(tlsParameters);
        // Read as spans, parsing each distinct version word once: this runs at every process start.
        var names = new Dictionary<string, (PostfixVersion, PostfixVersion?)>(1200, StringComparer.Ordinal);
        var versions = new Dictionary<string, PostfixVersion?>(StringComparer.Ordinal);
        var lookup = versions.GetAlternateLookup<ReadOnlySpan<char>>();
        PostfixVersion? Version(ReadOnlySpan<char> word)
        {
            if (!lookup.TryGetValue(word, out var v))
            {
                var text = word.ToString();
                v = PostfixVersion.TryParse(text, out var parsed) ? parsed.Line : null;
                versions[text] = v;
            }

            return v;
        }

        var lineNo = 0;
        Span<Range> parts = stackalloc Range[4];
        foreach (var raw in allNames.AsSpan().EnumerateLines())
        {
            lineNo++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var count = line.Split(parts, ' ', StringSplitOptions.RemoveEmptyEntries);
            var since = count is 2 or 3 ? Version(line[parts[1]]) : null;
            var removed = count == 3 ? Version(line[parts[2]]) : null;
            if (since is null || (count == 3 && removed is null))
            {
                throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"postfix-parameters.txt line {lineNo}: expected 'name SINCE [REMOVED]'."));
            }

            names[line[parts[0]].ToString()] = (since.Value, removed);
        }

        return new ParameterCatalog(parameters, releases, names);
    }
}
