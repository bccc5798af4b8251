using System.Text;

namespace PostfixConfig.Diagnostics;

/// <summary>One diagnostic code as the documentation describes it (see <see cref="DiagnosticCatalog"/>).</summary>
/// <param name="Code">The code, <c>PFX1001</c>.</param>
/// <param name="Name">The name of its constant in <see cref="DiagnosticCodes"/>, <c>UnknownParameter</c>.</param>
/// <param name="Severities">The severities it is reported with, the most serious first.</param>
/// <param name="Example">An example message, as the CLI prints it after <c>error PFX1001: </c>.</param>
internal sealed record DiagnosticEntry(string Code, string Name, IReadOnlyList<DiagnosticSeverity> Severities, string Example)
{
    /// <summary>Words of a name written as Postfix documentation writes them.</summary>
    private static readonly Dictionary<string, string> Spelling = new(StringComparer.Ordinal)
    {
        ["Yaml"] = "YAML",
        ["Tls"] = "TLS",
        ["Dane"] = "DANE",
        ["Dnssec"] = "DNSSEC",
        ["Dns"] = "DNS",
        ["Mx"] = "MX",
        ["Sni"] = "SNI",
        ["Pem"] = "PEM",
        ["Tlsa"] = "TLSA",
        ["Ssl"] = "SSL",
        ["Smtp"] = "SMTP",
        ["Utf8"] = "UTF-8",
        ["Nul"] = "NUL",
        ["Dsa"] = "DSA",
        ["Tls13"] = "TLS 1.3",
        ["Postfix"] = "Postfix",
        ["Mta"] = "MTA",
        ["Sts"] = "STS",
    };

    /// <summary>The name as words: <c>DaneWithoutDnssec</c> is "DANE without DNSSEC", <c>MainCfSyntax</c> "main.cf syntax".</summary>
    public string Title
    {
        get
        {
            var words = new List<string>();
            var start = 0;
            for (var i = 1; i <= Name.Length; i++)
            {
                if (i == Name.Length || char.IsUpper(Name[i]))
                {
                    words.Add(Name[start..i]);
                    start = i;
                }
            }

            var text = new StringBuilder();
            for (var i = 0; i < words.Count; i++)
            {
                var word = words[i];
                if ((word is "Main" or "Master") && i + 1 < words.Count && words[i + 1] == "Cf")
                {
                    word = (word == "Main" ? "main" : "master") + ".cf";
                    i++;
                }
                else if (word == "Tls" && i + 1 < words.Count && words[i + 1] == "Rpt")
                {
                    word = "TLSRPT";
                    i++;
                }
                else if (word == "Open" && i + 1 < words.Count && words[i + 1] == "Ssl")
                {
                    word = "OpenSSL";
                    i++;
                }
                else if (Spelling.TryGetValue(word, out var spelt))
                {
                    word = spelt;
                }
                else if (text.Length > 0)
                {
                    word = word.ToLowerInvariant();
                }

                if (text.Length > 0)
                {
                    text.Append(' ');
                }

                text.Append(text.Length == 0 && char.IsLower(word[0]) && !word.Contains('.', StringComparison.Ordinal) ? char.ToUpperInvariant(word[0]) + word[1..] : word);
            }

            return text.ToString();
        }
    }
}
