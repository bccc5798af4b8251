using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;
using PostfixConfig.Text;

namespace PostfixConfig.MainCf;

/// <summary>
/// A main.cf file read the way Postfix reads it, with every byte kept: comments, blank lines,
/// continuation lines, spacing, line ends and a missing final newline. Writing an unchanged
/// document gives back exactly the text it was read from.
/// </summary>
/// <remarks>
/// <para>
/// Lines are joined into logical lines as Postfix's <c>readllines()</c> does: a line that starts
/// with whitespace continues the previous setting, even after blank lines and comment lines (a
/// line whose first non-blank character is <c>#</c> is a comment everywhere, also inside a
/// continued value). Each logical line is split at the first <c>=</c> with the whitespace
/// rules of <c>split_nameval()</c>; the last definition of a name wins.
/// </para>
/// <para>
/// Read one with <see cref="PostfixTls.ReadMainCf(string, string?)"/>. This type is immutable and thread-safe.
/// </para>
/// </remarks>
public sealed class MainCfDocument
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // The last definition of each name. A plain dictionary, never changed after construction (so safe
    // to read from any thread): building an immutable one costs a lint of a big file dearly.
    private readonly Dictionary<string, MainCfParameter> _effective;
    private ImmutableSortedDictionary<string, string>? _values;

    private MainCfDocument(
        string text,
        string? path,
        bool isUtf8,
        ImmutableArray<PhysicalLine> lines,
        ImmutableArray<LogicalLine> logical,
        ImmutableArray<MainCfParameter> parameters)
    {
        Text = text;
        Path = path;
        IsUtf8 = isUtf8;
        Lines = lines;
        Logical = logical;
        Parameters = parameters;
        _effective = new Dictionary<string, MainCfParameter>(parameters.Length, StringComparer.Ordinal);
        foreach (var p in parameters)
        {
            _effective[p.Name] = p;
        }

        NewLine = DominantNewLine(text, lines);
    }

    /// <summary>The file the document was read from, as given, for diagnostics; <see langword="null"/> for text.</summary>
    public string? Path { get; }

    /// <summary>The whole text, exactly as read.</summary>
    public string Text { get; }

    /// <summary>
    /// Whether the file was valid UTF-8. Other files are read byte for byte as ISO-8859-1 so that
    /// they can be checked, but they are not rewritten.
    /// </summary>
    public bool IsUtf8 { get; }

    /// <summary>Every definition in file order, duplicates included (the last one of a name wins).</summary>
    public ImmutableArray<MainCfParameter> Parameters { get; }

    /// <summary>The effective settings: name to value, the last definition of each name, sorted by name.</summary>
    public ImmutableSortedDictionary<string, string> Values =>
        _values ??= _effective.ToImmutableSortedDictionary(kv => kv.Key, kv => kv.Value.Value, StringComparer.Ordinal); // built on first use (the same each time)

    /// <summary>The definitions that win, one per name, in no particular order.</summary>
    internal IEnumerable<MainCfParameter> Effective => _effective.Values;

    /// <summary>The number of physical lines.</summary>
    public int LineCount => Lines.Length;

    internal ImmutableArray<PhysicalLine> Lines { get; }

    internal ImmutableArray<LogicalLine> Logical { get; }

    /// <summary>The line end most lines use (<c>\n</c>, or <c>\r\n</c> for a file written on Windows).</summary>
    internal string NewLine { get; }

    /// <summary>The definition that wins for <paramref name="name"/>, or <see langword="null"/> when the file does not set it.</summary>
    public MainCfParameter? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _effective.GetValueOrDefault(name);
    }

    /// <summary>Every definition of <paramref name="name"/>, in file order.</summary>
    public IEnumerable<MainCfParameter> FindAll(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Parameters.Where(p => p.Name == name);
    }

    /// <summary>
    /// The value of <paramref name="name"/> after <c>$</c> expansion, as <c>postconf -x</c> prints it for
    /// <paramref name="version"/>: references resolve against this file, then against the catalog's
    /// default for that release. Expansion errors (an unclosed <c>${</c>, a reference loop) come back as
    /// error diagnostics; parameters whose default the catalog does not know are reported as information.
    /// </summary>
    /// <param name="name">The parameter to expand (its value in the file, else its default).</param>
    /// <param name="version">The release whose defaults and syntax apply; <see langword="null"/> for the newest stable release.</param>
    /// <param name="catalog">The catalog for defaults; <see langword="null"/> for <see cref="ParameterCatalog.Default"/>.</param>
    public Result<string> Expand(string name, PostfixVersion? version = null, ParameterCatalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        var expansion = ParameterExpansion.For(this, version, catalog);
        return expansion.ExpandParameter(name).ToResult(name, Find(name)?.ValueSpan);
    }

    /// <summary>
    /// The effective settings as a <see cref="TlsConfiguration"/> (every parameter, not only TLS ones)
    /// whose values and names carry their main.cf positions, ready for <see cref="PostfixTls.Validate"/>.
    /// </summary>
    /// <param name="version">The release to record as <see cref="TlsConfiguration.PostfixVersion"/>, or <see langword="null"/>.</param>
    public TlsConfiguration ToConfiguration(PostfixVersion? version = null)
    {
        var map = ParameterMap.Create(Effective.Select(p => (p.Name, PostfixValue.Of(p.Value, p.ValueSpan), (SourceSpan?)p.NameSpan)));

        return new TlsConfiguration { PostfixVersion = version, Main = map, SourcePath = Path, IsWholeMainCf = true };
    }

    /// <summary>Writes the text exactly as read.</summary>
    public void WriteTo(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Text);
    }

    /// <summary>The text exactly as read.</summary>
    public override string ToString() => Text;

    /// <summary>The bytes to write for this text: UTF-8, or ISO-8859-1 for a file that was not UTF-8.</summary>
    internal byte[] ToBytes() => IsUtf8 ? StrictUtf8.GetBytes(Text) : Encoding.Latin1.GetBytes(Text);

    /// <summary>Decodes file bytes: strict UTF-8 (a byte-order mark is kept as a character), else ISO-8859-1.</summary>
    internal static (string Text, bool IsUtf8) Decode(byte[] bytes)
    {
        try
        {
            return (StrictUtf8.GetString(bytes), true);
        }
        catch (DecoderFallbackException)
        {
            return (Encoding.Latin1.GetString(bytes), false);
        }
    }

    /// <summary>Parses main.cf text; always returns a document, with the problems Postfix would report.</summary>
    internal static (MainCfDocument Document, List<Diagnostic> Diagnostics) Parse(string text, string? path, bool isUtf8 = true)
    {
        var diagnostics = new List<Diagnostic>();
        var lines = LogicalLineReader.SplitPhysical(text);
        var logical = LogicalLineReader.Join(text, lines);
        var parameters = ImmutableArray.CreateBuilder<MainCfParameter>();
        for (var i = 0; i < logical.Length; i++)
        {
            var line = logical[i];
            var start = line.SpanAt(path, 0);
            if (line.IsTooLong)
            {
                diagnostics.Add(LogicalLineReader.TooLong(line, path, "line"));
                continue;
            }

            if (line.IsOrphan)
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.MainCfLeadingWhitespace, null,
                    $"\"{PostfixText.Printable(line.Text.TrimStart(), 40)}\" is indented but no setting comes before it; Postfix ignores it (\"logical line must not start with whitespace\"). Remove the indentation, or make it a comment with '#'.",
                    start));
                continue;
            }

            var logicalText = line.Text;
            var nul = logicalText.IndexOf('\0', StringComparison.Ordinal);
            if (nul >= 0)
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.MainCfNulCharacter, null,
                    "This line contains a NUL byte; Postfix ignores everything after it. Remove the NUL byte.",
                    line.SpanAt(path, nul)));
                logicalText = logicalText[..nul];
            }

            if (!SplitNameValue(logicalText, out var nameStart, out var nameEnd, out var valueStart, out var valueEnd, out var missingName))
            {
                var text40 = PostfixText.Printable(logicalText, 40);
                diagnostics.Add(missingName
                    ? new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.MainCfMissingName, null,
                        $"\"{text40}\" has no parameter name before '='; Postfix stops with \"missing attribute name\". Write name = value, or make the line a comment with '#'.",
                        start)
                    : new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.MainCfMissingEquals, null,
                        $"\"{text40}\" is not a name = value setting; Postfix stops with \"missing '=' after attribute name\". Add '=' after the name, make the line a comment with '#', or indent it to continue the setting above.",
                        start));
                continue;
            }

            var name = logicalText[nameStart..nameEnd];
            var value = logicalText[valueStart..valueEnd];
            var p = new MainCfParameter(
                name,
                value,
                line.SpanAt(path, nameStart),
                line.SpanAt(path, valueStart),
                line.FirstLineIndex + 1,
                line.LastLineIndex + 1,
                i);
            if (value.Contains('\r', StringComparison.Ordinal))
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.MainCfCarriageReturn, name,
                    $"The value of {name} contains a carriage return (the file has Windows line ends and the value is continued over several lines); Postfix keeps it as part of the value. Convert the file to Unix line ends (dos2unix).",
                    p.ValueSpan));
            }

            parameters.Add(p);
        }

        ReportDuplicates(parameters, diagnostics);
        return (new MainCfDocument(text, path, isUtf8, lines, logical, parameters.ToImmutable()), diagnostics);
    }

    /// <summary><c>split_nameval()</c>: name up to whitespace or '=', optional whitespace, '=', value trimmed.</summary>
    internal static bool SplitNameValue(string t, out int nameStart, out int nameEnd, out int valueStart, out int valueEnd, out bool missingName)
    {
        valueStart = valueEnd = 0;
        missingName = false;
        var np = 0;
        while (np < t.Length && PostfixText.IsSpace(t[np]))
        {
            np++;
        }

        nameStart = np;
        if (np == t.Length || t[np] == '=')
        {
            nameEnd = np;
            missingName = true;
            return false;
        }

        var ep = np;
        while (ep < t.Length && !PostfixText.IsSpace(t[ep]) && t[ep] != '=')
        {
            ep++;
        }

        nameEnd = ep;
        var cp = ep;
        while (cp < t.Length && PostfixText.IsSpace(t[cp]))
        {
            cp++;
        }

        if (cp == t.Length || t[cp] != '=')
        {
            return false;
        }

        var vp = cp + 1;
        while (vp < t.Length && PostfixText.IsSpace(t[vp]))
        {
            vp++;
        }

        var end = t.Length;
        while (end > vp && PostfixText.IsSpace(t[end - 1]))
        {
            end--;
        }

        valueStart = vp;
        valueEnd = end;
        return true;
    }

    private static void ReportDuplicates(ImmutableArray<MainCfParameter>.Builder parameters, List<Diagnostic> diagnostics)
    {
        var seen = new Dictionary<string, MainCfParameter>(StringComparer.Ordinal);
        foreach (var p in parameters)
        {
            if (seen.TryGetValue(p.Name, out var earlier))
            {
                var first = earlier.FirstLine.ToString(CultureInfo.InvariantCulture);
                diagnostics.Add(earlier.Value == p.Value
                    ? new Diagnostic(DiagnosticSeverity.Info, DiagnosticCodes.MainCfDuplicateParameter, p.Name,
                        $"{p.Name} is set again with the same value as on line {first}; remove one of the two.", p.NameSpan)
                    : new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.MainCfDuplicateParameter, p.Name,
                        $"{p.Name} is set again, overriding '{PostfixText.Printable(earlier.Value)}' from line {first} (Postfix: \"overriding earlier entry\"); only this last value counts. Remove the setting you do not want.",
                        p.NameSpan));
            }

            seen[p.Name] = p;
        }
    }

    private static string DominantNewLine(string text, ImmutableArray<PhysicalLine> lines)
    {
        int crlf = 0, lf = 0;
        foreach (var l in lines)
        {
            if (!l.HasNewline)
            {
                continue;
            }

            if (l.Length > 0 && text[l.Offset + l.Length - 1] == '\r')
            {
                crlf++;
            }
            else
            {
                lf++;
            }
        }

        return crlf > lf ? "\r\n" : "\n";
    }
}
