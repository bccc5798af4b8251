using System.Collections;
using System.Collections.Immutable;

namespace PostfixConfig.Diagnostics;

/// <summary>
/// An ordered, immutable list of diagnostics: sorted by position (input order when there is none),
/// then by code.
/// </summary>
public sealed class DiagnosticList : IReadOnlyList<Diagnostic>
{
    private readonly ImmutableArray<Diagnostic> _items;

    private DiagnosticList(ImmutableArray<Diagnostic> items) => _items = items;

    /// <summary>The empty list.</summary>
    public static DiagnosticList Empty { get; } = new([]);

    /// <summary>Creates a list; the order is made stable (by file, line, column, then code).</summary>
    public static DiagnosticList Create(IEnumerable<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        var seen = new HashSet<Diagnostic>(CheapHash.Instance);
        var list = new List<(Diagnostic d, int i)>();
        foreach (var d in diagnostics)
        {
            if (seen.Add(d))
            {
                list.Add((d, list.Count));
            }
        }

        list.Sort((a, b) =>
        {
            var (x, y) = (a.d, b.d);
            var c = (x.Span is null).CompareTo(y.Span is null);
            if (c == 0 && x.Span is { } sx && y.Span is { } sy)
            {
                c = string.CompareOrdinal(sx.File, sy.File);
                if (c == 0)
                {
                    c = sx.Line.CompareTo(sy.Line);
                }

                if (c == 0)
                {
                    c = sx.Column.CompareTo(sy.Column);
                }
            }

            return c != 0 ? c : a.i.CompareTo(b.i);
        });
        return list.Count == 0 ? Empty : new DiagnosticList([.. list.Select(p => p.d)]);
    }

    /// <summary>Whether any diagnostic is an error.</summary>
    public bool HasErrors => _items.Any(d => d.Severity == DiagnosticSeverity.Error);

    /// <summary>Whether any diagnostic is a warning.</summary>
    public bool HasWarnings => _items.Any(d => d.Severity == DiagnosticSeverity.Warning);

    /// <summary>The errors only.</summary>
    public IEnumerable<Diagnostic> Errors => _items.Where(d => d.Severity == DiagnosticSeverity.Error);

    /// <inheritdoc />
    public int Count => _items.Length;

    /// <inheritdoc />
    public Diagnostic this[int index] => _items[index];

    /// <summary>This list followed by <paramref name="more"/>, re-sorted.</summary>
    public DiagnosticList Concat(IEnumerable<Diagnostic> more) => Create(_items.Concat(more));

    /// <inheritdoc />
    public IEnumerator<Diagnostic> GetEnumerator() => ((IEnumerable<Diagnostic>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>One diagnostic per line, in canonical text form.</summary>
    public override string ToString() => string.Join('\n', _items);

    /// <summary>Record equality, with a hash that does not read the (long) message text.</summary>
    private sealed class CheapHash : IEqualityComparer<Diagnostic>
    {
        public static readonly CheapHash Instance = new();

        public bool Equals(Diagnostic? x, Diagnostic? y) => EqualityComparer<Diagnostic>.Default.Equals(x, y);

        public int GetHashCode(Diagnostic obj) =>
            HashCode.Combine(obj.Severity, obj.Code, obj.Span?.Line, obj.Span?.Column, obj.Message.Length, obj.Parameter?.Length);
    }
}
