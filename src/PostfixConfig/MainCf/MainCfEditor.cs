using System.Text;
using PostfixConfig.Text;

namespace PostfixConfig.MainCf;

/// <summary>
/// Edits a main.cf document the way <c>postconf -e</c> and <c>postconf -#</c> do (src/postconf/postconf_edit.c):
/// every definition of a changed parameter, continuation lines included, becomes one
/// <c>name = value</c> line; comment and blank lines inside a continued value stay; parameters
/// the file does not set are appended; every other byte is copied unchanged.
/// </summary>
/// <remarks>
/// Differences from <c>postconf -e</c>, on purpose: a parameter whose every definition already has
/// the new value is left exactly as written; new parameters are appended after a comment line naming
/// the tool, grouped by the caller's order instead of hash order; the file's own line end (LF or
/// CRLF) is used; and a newline is added before appending to a file whose last line has none (postconf
/// would glue the new line onto it).
/// </remarks>
internal sealed class MainCfEditor
{
    private readonly MainCfDocument _document;
    private readonly Dictionary<string, string> _set = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CommentOutRequest> _commentOut = new(StringComparer.Ordinal);

    public MainCfEditor(MainCfDocument document) => _document = document;

    private sealed record CommentOutRequest(IReadOnlyList<string> Note, IReadOnlyList<(string Name, string Value)> InsertAfter);

    /// <summary>Whether any edit is pending.</summary>
    public bool HasEdits => _set.Count > 0 || _commentOut.Count > 0;

    /// <summary>The parameters set so far, with their new values.</summary>
    public IReadOnlyDictionary<string, string> Assignments => _set;

    /// <summary>
    /// Sets a parameter (<c>postconf -e name=value</c>). Returns <see langword="false"/> when the file
    /// already sets it to exactly this value everywhere (nothing to do).
    /// </summary>
    public bool Set(string name, string value)
    {
        var existing = _document.FindAll(name).ToList();
        if (existing.Count > 0 && existing.All(p => p.Value == value))
        {
            _set.Remove(name);
            return false;
        }

        _set[name] = value;
        return true;
    }

    /// <summary>
    /// Comments out every definition of a parameter (<c>postconf -# name</c>: each physical line gets a
    /// leading <c>#</c>), writes <paramref name="note"/> as comment lines before the first one, and
    /// writes <paramref name="insertAfter"/> as definitions right after it.
    /// </summary>
    public void CommentOut(string name, IReadOnlyList<string> note, IReadOnlyList<(string Name, string Value)> insertAfter) =>
        _commentOut[name] = new CommentOutRequest(note, insertAfter);

    /// <summary>One main.cf line: <c>name = value</c>, or <c>name =</c> for an empty value.</summary>
    internal static string FormatLine(string name, string value) => value.Length == 0 ? name + " =" : name + " = " + value;

    /// <summary>Applies the edits and returns the new text.</summary>
    /// <param name="appendComment">The comment text (without <c>#</c>) written before appended parameters.</param>
    /// <param name="appendGroup">Group of an appended parameter; appended parameters are sorted by group, then by name.</param>
    public string Apply(string appendComment, Func<string, int> appendGroup)
    {
        var text = _document.Text;
        var nl = _document.NewLine;
        var lines = _document.Lines;
        var byLogical = _document.Parameters.ToDictionary(p => p.LogicalIndex);
        var lineToLogical = new int[lines.Length];
        Array.Fill(lineToLogical, -1);
        for (var li = 0; li < _document.Logical.Length; li++)
        {
            foreach (var s in _document.Logical[li].Segments)
            {
                lineToLogical[s.LineIndex] = li;
            }
        }

        var sb = new StringBuilder(text.Length + 256);
        var noted = new HashSet<string>(StringComparer.Ordinal);
        var inserted = new HashSet<string>(StringComparer.Ordinal);
        var mode = Mode.Copy;
        MainCfParameter? current = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var raw = text.AsSpan(line.Offset, line.End - line.Offset);
            switch (line.Kind)
            {
                case PhysicalLineKind.Start:
                    current = lineToLogical[i] >= 0 ? byLogical.GetValueOrDefault(lineToLogical[i]) : null;
                    if (current is not null && _set.TryGetValue(current.Name, out var value))
                    {
                        var cr = line.Length > 0 && text[line.Offset + line.Length - 1] == '\r';
                        sb.Append(FormatLine(current.Name, value));
                        if (line.HasNewline)
                        {
                            sb.Append(cr ? "\r\n" : "\n");
                        }

                        mode = Mode.Skip;
                    }
                    else if (current is not null && _commentOut.TryGetValue(current.Name, out var request))
                    {
                        if (noted.Add(current.Name))
                        {
                            foreach (var note in request.Note)
                            {
                                sb.Append("# ").Append(note).Append(nl);
                            }
                        }

                        sb.Append('#').Append(raw);
                        mode = Mode.CommentOut;
                    }
                    else
                    {
                        sb.Append(raw);
                        mode = Mode.Copy;
                    }

                    break;
                case PhysicalLineKind.Continuation:
                    if (mode == Mode.Copy)
                    {
                        sb.Append(raw);
                    }
                    else if (mode == Mode.CommentOut)
                    {
                        sb.Append('#').Append(raw);
                    }

                    break;
                default:
                    sb.Append(raw);
                    break;
            }

            if (current is not null && mode == Mode.CommentOut && i == current.LastLine - 1
                && _commentOut.TryGetValue(current.Name, out var pending) && pending.InsertAfter.Count > 0 && inserted.Add(current.Name))
            {
                if (!line.HasNewline)
                {
                    sb.Append(nl);
                }

                foreach (var (n, v) in pending.InsertAfter)
                {
                    sb.Append(FormatLine(n, v)).Append(nl);
                }
            }
        }

        var missing = _set.Keys.Where(n => !_document.FindAll(n).Any()).OrderBy(appendGroup).ThenBy(n => n, StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            if (sb.Length > 0 && sb[^1] != '\n')
            {
                sb.Append(nl);
            }

            if (sb.Length > 0 && !EndsWithBlankLine(sb))
            {
                sb.Append(nl);
            }

            sb.Append("# ").Append(appendComment).Append(nl);
            foreach (var name in missing)
            {
                sb.Append(FormatLine(name, _set[name])).Append(nl);
            }
        }

        return sb.ToString();
    }

    private static bool EndsWithBlankLine(StringBuilder sb)
    {
        // The text ends with '\n'; look at the line before it.
        var i = sb.Length - 2;
        while (i >= 0 && sb[i] != '\n')
        {
            if (!PostfixText.IsSpace(sb[i]))
            {
                return false;
            }

            i--;
        }

        return true;
    }

    private enum Mode
    {
        Copy,
        Skip,
        CommentOut,
    }
}
