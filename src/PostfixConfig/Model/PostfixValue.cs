using System.Collections.Immutable;
using PostfixConfig.Diagnostics;

namespace PostfixConfig;

/// <summary>
/// The value of one main.cf parameter, kept in Postfix syntax: a single text (<c>may</c>,
/// <c>btree:${data_directory}/smtp_scache</c>) or a list of items that renders as a Postfix list.
/// </summary>
/// <remarks>
/// Values are stored as Postfix text, not converted, so <c>$name</c> references and expressions
/// survive unchanged; typed access goes through <see cref="TlsParameter{T}"/> keys, and validation
/// checks the text against the parameter's kind. Equality compares the main.cf text;
/// <see cref="Span"/> records where the value came from and does not take part in it. This type is immutable.
/// </remarks>
public sealed class PostfixValue : IEquatable<PostfixValue>
{
    private PostfixValue(string text, ImmutableArray<string> items, SourceSpan? span, SourceSpan? nameSpan = null)
    {
        Text = text;
        Items = items;
        Span = span;
        NameSpan = nameSpan;
    }

    /// <summary>The value as it appears after <c>name = </c> in main.cf.</summary>
    public string Text { get; }

    /// <summary>The list items when the value was given as a list; default (not initialised) otherwise.</summary>
    public ImmutableArray<string> Items { get; }

    /// <summary>Whether the value was given as a list.</summary>
    public bool IsList => !Items.IsDefault;

    /// <summary>The value as a master.cf <c>-o</c> option writes it: list items joined with commas, without spaces.</summary>
    internal string MasterCfText => IsList ? string.Join(',', Items) : Text;

    /// <summary>Where the value was read from, when it came from a file.</summary>
    public SourceSpan? Span { get; }

    /// <summary>
    /// Where the parameter's name was written, kept with the value by <see cref="ParameterMap"/>
    /// (see <see cref="ParameterMap.NameSpan"/>); like <see cref="Span"/>, not part of equality.
    /// </summary>
    internal SourceSpan? NameSpan { get; }

    /// <summary>A single value, written as given.</summary>
    public static PostfixValue Of(string text, SourceSpan? span = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new PostfixValue(text, default, span);
    }

    /// <summary>A list value; renders as the items joined with <c>", "</c>.</summary>
    public static PostfixValue OfList(IEnumerable<string> items, SourceSpan? span = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        var array = items.ToImmutableArray();
        foreach (var item in array)
        {
            ArgumentNullException.ThrowIfNull(item, nameof(items));
        }

        return new PostfixValue(string.Join(", ", array), array, span);
    }

    /// <summary><c>yes</c> or <c>no</c>.</summary>
    public static PostfixValue OfBoolean(bool value, SourceSpan? span = null) => new(value ? "yes" : "no", default, span);

    /// <summary>The same value with another source position.</summary>
    public PostfixValue WithSpan(SourceSpan? span) => new(Text, Items, span, NameSpan);

    /// <summary>The same value with another position of its parameter's name.</summary>
    internal PostfixValue WithNameSpan(SourceSpan? nameSpan) =>
        Nullable.Equals(nameSpan, NameSpan) ? this : new(Text, Items, Span, nameSpan);

    /// <summary>The items of a list value, or the single text as a one-item list.</summary>
    public IReadOnlyList<string> AsList() => IsList ? Items : [Text];

    /// <summary>
    /// Equal when the main.cf text is the same: a one-item list equals the single value with the
    /// same text, because Postfix reads them identically. Source positions are ignored.
    /// </summary>
    public bool Equals(PostfixValue? other) => other is not null && Text == other.Text;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as PostfixValue);

    /// <inheritdoc />
    public override int GetHashCode() => Text.GetHashCode(StringComparison.Ordinal);

    /// <summary>The main.cf text.</summary>
    public override string ToString() => Text;
}
