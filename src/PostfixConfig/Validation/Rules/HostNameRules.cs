using System.Globalization;
using FluentValidation;
using PostfixConfig.Diagnostics;

namespace PostfixConfig.Validation.Rules;

/// <summary>
/// <c>myhostname</c> and <c>mydomain</c>, which every Postfix program checks when it reads main.cf:
/// a value that is not a host name stops the program with "bad parameter value", so no mail flows
/// at all (and the certificate checks compare the server certificate with <c>myhostname</c>).
/// Postfix's rule: ASCII letters, digits, '_' and '-' in dot-separated labels of at most 63
/// characters, no '-' at either end of a label, no empty label or trailing dot, not all digits, at
/// most 255 characters. When <c>mydomain</c> is not set it is the part of <c>myhostname</c> after
/// the first dot, which must pass the same rule.
/// </summary>
internal sealed class HostNameRules : RuleSet
{
    private const int MaxLabel = 63;
    private const int MaxName = 255;

    protected override void Check(ValidationContext<ValidationTarget> context, ValidationTarget t)
    {
        string? hostname = null;
        if (t.IsSet("myhostname") && t.Resolve("myhostname") is { } host)
        {
            hostname = host;
            if (Problem(host) is { } problem)
            {
                context.Error(DiagnosticCodes.InvalidHostname, "myhostname",
                    $"myhostname = {Shown(host)} is not a host name Postfix accepts ({problem}); every Postfix program would stop with \"bad parameter value\" and no mail would flow. Write a DNS name such as mail.example.com.",
                    t.SpanOf("myhostname"));
                return;
            }
        }

        if (t.IsSet("mydomain"))
        {
            if (t.Resolve("mydomain") is { } domain && Problem(domain) is { } problem)
            {
                context.Error(DiagnosticCodes.InvalidHostname, "mydomain",
                    $"mydomain = {Shown(domain)} is not a domain name Postfix accepts ({problem}); every Postfix program would stop with \"bad parameter value\". Write a DNS name such as example.com.",
                    t.SpanOf("mydomain"));
            }
        }
        else if (hostname?.IndexOf('.', StringComparison.Ordinal) is int dot and >= 0
            && hostname[(dot + 1)..] is var derived && Problem(derived) is { } problem)
        {
            context.Error(DiagnosticCodes.InvalidHostname, "myhostname",
                $"mydomain is not set, so Postfix takes it from myhostname = {Shown(hostname)}: '{Shown(derived)}' is not a domain name ({problem}), and every Postfix program would stop with \"bad parameter value\". Set mydomain (example.com), or make myhostname a name with a proper domain.",
                t.SpanOf("myhostname"));
        }
    }

    /// <summary>Why Postfix would refuse <paramref name="name"/> as a host name, or <see langword="null"/>.</summary>
    internal static string? Problem(string name)
    {
        if (name.Length == 0)
        {
            return "it is empty";
        }

        var label = 0;
        var anyLetter = false;
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var last = i == name.Length - 1;
            if (char.IsAsciiLetterOrDigit(c) || c == '_')
            {
                if (++label > MaxLabel)
                {
                    return string.Create(CultureInfo.InvariantCulture, $"a label is longer than {MaxLabel} characters");
                }

                anyLetter |= !char.IsAsciiDigit(c);
            }
            else if (c == '.')
            {
                if (label == 0 || last)
                {
                    return last && label > 0 ? "it ends with a dot" : "it has an empty label (a dot at the start or two dots in a row)";
                }

                label = 0;
            }
            else if (c == '-')
            {
                if (label == 0 || last || name[i + 1] == '.')
                {
                    return "a label starts or ends with '-'";
                }

                label++;
            }
            else
            {
                return $"the character {Describe(c)} is not allowed; only ASCII letters, digits, '-', '_' and '.' are";
            }
        }

        if (!anyLetter)
        {
            return "it is all digits";
        }

        return name.Length > MaxName ? string.Create(CultureInfo.InvariantCulture, $"it is longer than {MaxName} characters") : null;
    }

    private static string Describe(char c) =>
        c is >= ' ' and < '\u007f'
            ? $"'{c}'"
            : string.Create(CultureInfo.InvariantCulture, $"U+{(int)c:X4}");

    private static string Shown(string text) => text.Length > 100 ? text[..100] + "..." : text;
}
