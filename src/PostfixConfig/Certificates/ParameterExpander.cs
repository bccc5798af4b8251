using System.Text;

namespace PostfixConfig.Certificates;

/// <summary>
/// Expands <c>$name</c>, <c>${name}</c>, <c>$(name)</c>, <c>${name?text}</c>, <c>${name:text}</c>
/// and <c>$$</c> in a main.cf value, as Postfix does when it reads main.cf, using the
/// configuration's own parameters. A reference to a parameter the configuration does not set is
/// unresolved (Postfix would use its built-in default, which depends on the host), except
/// <c>config_directory</c>, which falls back to the given folder.
/// </summary>
internal sealed class ParameterExpander
{
    private const int MaxDepth = 20;
    private readonly ParameterMap _main;
    private readonly string _configDirectory;

    public ParameterExpander(ParameterMap main, string configDirectory)
    {
        _main = main;
        _configDirectory = configDirectory;
    }

    /// <summary>The value of a parameter after expansion; <see langword="null"/> when not set (and no fallback).</summary>
    public string? Lookup(string name, int depth = 0)
    {
        var text = _main.GetText(name);
        if (text is null)
        {
            return name == "config_directory" ? _configDirectory : null;
        }

        return Expand(text, out _, depth + 1);
    }

    /// <summary>Expands <paramref name="text"/>; <paramref name="unresolved"/> names the first reference that could not be resolved.</summary>
    public string? Expand(string text, out string? unresolved, int depth = 0)
    {
        unresolved = null;
        if (depth > MaxDepth)
        {
            unresolved = "(references nested too deeply)";
            return null;
        }

        if (!text.Contains('$', StringComparison.Ordinal))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c != '$' || i + 1 >= text.Length)
            {
                sb.Append(c);
                i++;
                continue;
            }

            var next = text[i + 1];
            if (next == '$')
            {
                sb.Append('$');
                i += 2;
                continue;
            }

            string name;
            string? condition = null;
            char op = '\0';
            if (next is '{' or '(')
            {
                var close = next == '{' ? '}' : ')';
                var end = text.IndexOf(close, i + 2);
                if (end < 0)
                {
                    unresolved = text[i..];
                    return null;
                }

                var inner = text[(i + 2)..end];
                var opAt = inner.IndexOfAny(['?', ':']);
                if (opAt >= 0)
                {
                    op = inner[opAt];
                    condition = inner[(opAt + 1)..];
                    inner = inner[..opAt];
                }

                name = inner;
                i = end + 1;
            }
            else
            {
                var start = i + 1;
                var end = start;
                while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_'))
                {
                    end++;
                }

                if (end == start)
                {
                    sb.Append(c);
                    i++;
                    continue;
                }

                name = text[start..end];
                i = end;
            }

            var value = Lookup(name, depth);
            if (op != '\0')
            {
                var isSet = !string.IsNullOrEmpty(value);
                if (value is null && !_main.ContainsKey(name) && name != "config_directory")
                {
                    unresolved = "$" + name;
                    return null;
                }

                if ((op == '?' && isSet) || (op == ':' && !isSet))
                {
                    var expanded = Expand(condition!, out unresolved, depth + 1);
                    if (expanded is null)
                    {
                        return null;
                    }

                    sb.Append(expanded);
                }

                continue;
            }

            if (value is null)
            {
                unresolved = "$" + name;
                return null;
            }

            sb.Append(value);
        }

        return sb.ToString();
    }

    /// <summary>Splits a Postfix list (commas and white space) into items.</summary>
    public static IReadOnlyList<string> SplitList(string text) =>
        text.Split([',', ' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries);
}
