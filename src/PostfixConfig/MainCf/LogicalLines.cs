using System.Collections.Immutable;
using System.Text;
using PostfixConfig.Diagnostics;
using PostfixConfig.Text;

namespace PostfixConfig.MainCf;

/// <summary>What a physical line is to Postfix's line reader.</summary>
internal enum PhysicalLineKind
{
    /// <summary>Empty or whitespace only: skipped, and it does not end a logical line.</summary>
    Blank,

    /// <summary>First non-whitespace character is <c>#</c>: skipped, and it does not end a logical line.</summary>
    Comment,

    /// <summary>Starts with a non-whitespace character: begins a logical line.</summary>
    Start,

    /// <summary>Starts with whitespace and has text: continues the current logical line.</summary>
    Continuation,

    /// <summary>A continuation line before any logical line began: Postfix ignores it with a warning.</summary>
    Orphan,
}

/// <summary>
/// One physical line: its offset in the text, the length of its content (without the <c>\n</c>),
/// whether a <c>\n</c> follows, and its kind. A <c>\r</c> before the <c>\n</c> is part of the content,
/// as it is for Postfix.
/// </summary>
internal readonly record struct PhysicalLine(int Offset, int Length, bool HasNewline, PhysicalLineKind Kind)
{
    /// <summary>The offset just past the line, including its <c>\n</c>.</summary>
    public int End => Offset + Length + (HasNewline ? 1 : 0);
}

/// <summary>Where the content of one physical line sits in a logical line.</summary>
/// <param name="LineIndex">0-based index of the physical line.</param>
/// <param name="LogicalOffset">Offset of the line's first character in the logical text.</param>
/// <param name="Length">Number of characters.</param>
internal readonly record struct LineSegment(int LineIndex, int LogicalOffset, int Length);

/// <summary>
/// A logical line as Postfix's <c>readllines()</c> builds it: a start line plus every later line that
/// begins with whitespace, with the newlines removed and everything else kept (leading whitespace
/// of continuation lines included). Comment and blank lines in between are skipped.
/// </summary>
internal sealed class LogicalLine
{
    public LogicalLine(string text, ImmutableArray<LineSegment> segments, bool orphan, long tooLongLength = 0, int tooLongLines = 0)
    {
        Text = text;
        Segments = segments;
        IsOrphan = orphan;
        TooLongLength = tooLongLength;
        TooLongLines = tooLongLines;
    }

    /// <summary>The number of physical lines of a line that <see cref="IsTooLong"/> (its <see cref="Segments"/> are only the first and the last).</summary>
    public int TooLongLines { get; }

    /// <summary>
    /// Whether the line with its continuation lines is longer than <see cref="IO.InputLimits.LogicalLineChars"/>;
    /// its <see cref="Text"/> is then empty (never built) and the line must be reported and skipped.
    /// </summary>
    public bool IsTooLong => TooLongLength > 0;

    /// <summary>The length of a line that <see cref="IsTooLong"/>, else 0.</summary>
    public long TooLongLength { get; }

    /// <summary>The joined text (never contains <c>\n</c>).</summary>
    public string Text { get; }

    /// <summary>The physical lines that make it up, in order.</summary>
    public ImmutableArray<LineSegment> Segments { get; }

    /// <summary>Whether it began with whitespace (only possible at the start of a file); Postfix skips it.</summary>
    public bool IsOrphan { get; }

    /// <summary>Index of the first physical line.</summary>
    public int FirstLineIndex => Segments[0].LineIndex;

    /// <summary>Index of the last physical line.</summary>
    public int LastLineIndex => Segments[^1].LineIndex;

    /// <summary>The 1-based position in the file of the character at <paramref name="offset"/> of <see cref="Text"/>.</summary>
    public SourceSpan SpanAt(string? file, int offset)
    {
        var segment = Segments[^1];
        foreach (var s in Segments)
        {
            if (offset < s.LogicalOffset + s.Length)
            {
                segment = s;
                break;
            }
        }

        var column = Math.Max(0, offset - segment.LogicalOffset) + 1;
        return new SourceSpan(file, segment.LineIndex + 1, column);
    }
}

/// <summary>
/// Splits text into physical lines and logical lines with the rules of Postfix's
/// <c>readllines()</c> (src/util/readlline.c), which main.cf and every lookup table source file share.
/// </summary>
internal static class LogicalLineReader
{
    /// <summary>The physical lines of <paramref name="text"/>; a final line without <c>\n</c> is kept, an empty one is not.</summary>
    public static ImmutableArray<PhysicalLine> SplitPhysical(string text)
    {
        // Sized exactly up front: a file of millions of short lines is not copied while the array grows.
        var newlines = text.AsSpan().Count('\n');
        var lines = ImmutableArray.CreateBuilder<PhysicalLine>(newlines + (text.Length > 0 && text[^1] != '\n' ? 1 : 0));
        var offset = 0;
        var started = false;
        while (offset < text.Length)
        {
            var nl = text.IndexOf('\n', offset);
            var hasNewline = nl >= 0;
            var length = (hasNewline ? nl : text.Length) - offset;
            var kind = Classify(text, offset, length, ref started);
            lines.Add(new PhysicalLine(offset, length, hasNewline, kind));
            offset += length + (hasNewline ? 1 : 0);
        }

        return lines.MoveToImmutable();
    }

    private static PhysicalLineKind Classify(string text, int offset, int length, ref bool started)
    {
        var i = 0;
        while (i < length && PostfixText.IsSpace(text[offset + i]))
        {
            i++;
        }

        if (i == length)
        {
            return PhysicalLineKind.Blank;
        }

        if (text[offset + i] == '#')
        {
            return PhysicalLineKind.Comment;
        }

        if (i == 0)
        {
            started = true;
            return PhysicalLineKind.Start;
        }

        return started ? PhysicalLineKind.Continuation : PhysicalLineKind.Orphan;
    }

    /// <summary>
    /// Groups physical lines into logical lines (orphans included, flagged). A logical line longer than
    /// <paramref name="maxChars"/> keeps its segments but not its text (<see cref="LogicalLine.IsTooLong"/>),
    /// so a 10 MB line or a million continuation lines never become one string.
    /// </summary>
    public static ImmutableArray<LogicalLine> Join(string text, ImmutableArray<PhysicalLine> lines, int maxChars = IO.InputLimits.LogicalLineChars)
    {
        var result = ImmutableArray.CreateBuilder<LogicalLine>();
        var sb = new StringBuilder();
        var segments = ImmutableArray.CreateBuilder<LineSegment>();
        var orphan = false;
        long length = 0;
        var tooLong = false;
        var count = 0;

        void Flush()
        {
            if (segments.Count > 0)
            {
                result.Add(tooLong
                    ? new LogicalLine(string.Empty, segments.ToImmutable(), orphan, length, count)
                    : new LogicalLine(sb.ToString(), segments.ToImmutable(), orphan));
                segments.Clear();
                sb.Clear();
            }

            length = 0;
            tooLong = false;
            count = 0;
        }

        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            switch (line.Kind)
            {
                case PhysicalLineKind.Start:
                    Flush();
                    orphan = false;
                    break;
                case PhysicalLineKind.Orphan:
                    orphan = true;
                    break;
                case PhysicalLineKind.Continuation:
                    break;
                default:
                    continue;
            }

            var segment = new LineSegment(i, (int)Math.Min(length, int.MaxValue), line.Length);
            if (tooLong && segments.Count == 2)
            {
                segments[1] = segment; // a line over the limit keeps only its first and last segment
            }
            else
            {
                segments.Add(segment);
            }

            count++;
            length += line.Length;
            if (!tooLong && length > maxChars)
            {
                tooLong = true;
                sb.Clear();
                if (segments.Count > 2)
                {
                    var (first, last) = (segments[0], segments[^1]);
                    segments.Clear();
                    segments.Add(first);
                    segments.Add(last);
                }
            }

            if (!tooLong)
            {
                sb.Append(text, line.Offset, line.Length);
            }
        }

        Flush();
        return result.ToImmutable();
    }

    /// <summary>
    /// The first logical line longer than <paramref name="maxChars"/> as <see cref="Join"/> would flag it
    /// (without building any text), or <see langword="null"/>.
    /// </summary>
    public static (int FirstLineIndex, long Length, int Lines)? FirstTooLong(ImmutableArray<PhysicalLine> lines, int maxChars = IO.InputLimits.LogicalLineChars)
    {
        long length = 0;
        var first = -1;
        var count = 0;
        for (var i = 0; i <= lines.Length; i++)
        {
            var kind = i < lines.Length ? lines[i].Kind : PhysicalLineKind.Start;
            if (kind is PhysicalLineKind.Blank or PhysicalLineKind.Comment)
            {
                continue;
            }

            if (kind == PhysicalLineKind.Start)
            {
                if (length > maxChars)
                {
                    return (first, length, count);
                }

                length = 0;
                first = i;
                count = 0;
            }

            first = first < 0 ? i : first;
            count++;
            length += i < lines.Length ? lines[i].Length : 0;
        }

        return null;
    }

    /// <summary>The error for a logical line that <see cref="LogicalLine.IsTooLong"/>, at its first line.</summary>
    public static Diagnostic TooLong(LogicalLine line, string? path, string what) =>
        TooLong(line.FirstLineIndex, line.TooLongLength, line.TooLongLines, path, what);

    /// <summary>The error for a logical line (starting at 0-based <paramref name="firstLineIndex"/>, <paramref name="lines"/> physical lines) over the limit.</summary>
    public static Diagnostic TooLong(int firstLineIndex, long length, int lines, string? path, string what)
    {
        var n = System.Globalization.CultureInfo.InvariantCulture;
        var continued = lines > 1 ? $" with its {(lines - 1).ToString("N0", n)} continuation line{(lines == 2 ? string.Empty : "s")}" : string.Empty;
        return new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.InputTooLarge, null,
            $"This {what} is {length.ToString("N0", n)} characters long{continued}; the limit is {IO.InputLimits.LogicalLineChars.ToString("N0", n)} characters (1 MiB), so it was not read. No real setting comes near this; shorten it.",
            new SourceSpan(path, firstLineIndex + 1, 1));
    }
}
