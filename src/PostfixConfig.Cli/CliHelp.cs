using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Reflection;

namespace PostfixConfig.Cli;

/// <summary>One example in a command's <c>--help</c>: what it does, and the command line.</summary>
internal sealed record HelpExample(string Comment, string CommandLine);

/// <summary>
/// What <c>--help</c> adds to System.CommandLine's text: examples for every command (the one table
/// below; a test fails when a command has none), and a man-page layout (NAME, SYNOPSIS, DESCRIPTION,
/// ARGUMENTS, OPTIONS, EXAMPLES, EXIT STATUS, SEE ALSO) for the commands in <see cref="ManPages"/>.
/// </summary>
internal static class CliHelp
{
    /// <summary>
    /// The examples of each command, by its name (the root is ""). A new command needs one entry
    /// here; the examples must parse (a test runs each through the parser).
    /// </summary>
    public static readonly Dictionary<string, HelpExample[]> Examples = new(StringComparer.Ordinal)
    {
        [""] =
        [
            new("Render the example newsletter host into ./out", "postfix-config render examples/newsletter.yaml --out out"),
            new("Explain a parameter for Postfix 3.7", "postfix-config explain smtpd_tls_chain_files --postfix-version 3.7"),
        ],
        ["render"] =
        [
            new("Write main.cf and tls_policy into ./out", "postfix-config render examples/newsletter.yaml --out out"),
            new("On the mail host: check the certificate files, keep backups, add the certbot deploy hook", "postfix-config render site.yaml --out /etc/postfix --check-files --backup --reload-hook certbot"),
        ],
        ["validate"] =
        [
            new("Check a configuration for the release it names", "postfix-config validate examples/submission-server.yaml"),
            new("Check it for another release, as JSON", "postfix-config validate site.yaml --postfix-version 3.4 --format json"),
        ],
        ["params"] = [new("The TLS parameters of Postfix 3.7 with their defaults", "postfix-config params --postfix-version 3.7")],
        ["fingerprint"] = [new("The public-key fingerprint for smtp_tls_fingerprint_cert_match or match=", "postfix-config fingerprint /etc/letsencrypt/live/mx.example.org/cert.pem --public-key")],
        ["tlsa"] =
        [
            new("The TLSA records to publish for DANE", "postfix-config tlsa /etc/letsencrypt/live/mx.example.org/fullchain.pem --host mx.example.org"),
            new("Compare with DNS before a key rollover: what to add, what is stale, is a renewal safe", "postfix-config tlsa /etc/letsencrypt/live/mx.example.org/fullchain.pem --host mx.example.org --next-key next.key --dns"),
            new("The 3 1 1 record of the next key", "postfix-config tlsa --key next.key --host mx.example.org"),
        ],
        ["explain"] =
        [
            new("What smtp_tls_security_level accepts in Postfix 2.4", "postfix-config explain smtp_tls_security_level --postfix-version 2.4"),
            new("The newest stable release", "postfix-config explain smtpd_tls_chain_files"),
        ],
        ["lint"] =
        [
            new("Check Debian's default main.cf as Postfix 3.7 reads it", "postfix-config lint examples/debian-default-main.cf --postfix-version 3.7"),
            new("Is outbound DANE effective on this host (Postfix's dnssec_probe against the resolver)?", "postfix-config lint /etc/postfix/main.cf --check-dns"),
        ],
        ["merge"] = [new("Show what applying a configuration would change, without writing", "postfix-config merge site.yaml --into /etc/postfix/main.cf --dry-run --diff")],
        ["import"] = [new("Turn an existing main.cf and its policy table into YAML", "postfix-config import /etc/postfix/main.cf --policy /etc/postfix/tls_policy > site.yaml")],
        ["status"] =
        [
            new("Is TLS on? Every listener in master.cf (off, offered, required, implicit) and the SMTP client's level", "postfix-config status /etc/postfix/main.cf"),
            new("The same as JSON, with issuer and expiry of each certificate", "postfix-config status --config-dir /etc/postfix --format json --check-files"),
        ],
        ["apply"] =
        [
            new("See what applying a configuration to /etc/postfix would change, compile and reload", "postfix-config apply site.yaml --dry-run"),
            new("Apply it to a second instance, with the certbot deploy hook", "postfix-config apply site.yaml --config-dir /etc/postfix-out --reload-hook certbot"),
        ],
        ["probe"] =
        [
            new("The TLS a server presents on port 25 (STARTTLS), checked against its TLSA records", "postfix-config probe mx.example.org --port 25 --tlsa-file mx.tlsa"),
            new("What Postfix at level dane would do for each MX host of a domain (TLSA from DNS, with DNSSEC status)", "postfix-config probe example.org --mx --dane"),
        ],
        ["schema"] = [new("Save the JSON Schema for an editor (see the yaml-language-server line in examples/)", "postfix-config schema > postfix-config.schema.json")],
        ["completion"] =
        [
            new("Bash: complete postfix-config in every new shell", "postfix-config completion bash > ~/.local/share/bash-completion/completions/postfix-config"),
            new("Fish", "postfix-config completion fish > ~/.config/fish/completions/postfix-config.fish"),
        ],
    };

    /// <summary>A man page's text beyond what the command's own symbols say.</summary>
    internal sealed record ManPage(string[] Description, (string Code, string Meaning)[] ExitStatus, string[] SeeAlso);

    /// <summary>Commands whose <c>--help</c> is laid out as a man page.</summary>
    public static readonly Dictionary<string, ManPage> ManPages = new(StringComparer.Ordinal)
    {
        ["explain"] = new(
            [
                "Answers what postconf(5) would say about a TLS parameter, for the release you target (the newest stable release when none is given): the kind of value, the allowed words and the release that accepts each, the default in that release and how the default changed, the releases that introduced, deprecated, neutralised or removed the parameter, its replacement, and which other defaults read it.",
                "A release line (3.7) means its newest patch release (3.7.22). Parameters outside the TLS catalog are named as such, with the release whose postconf -d first lists them. An unknown name is reported with the nearest known name.",
            ],
            [("0", "the parameter was explained"), ("1", "unknown parameter (the message suggests the nearest known name)"), ("2", "usage error, or a release older than 2.2")],
            ["postconf(5)", "postfix-config params", "postfix-config schema"]),
    };

    /// <summary>Installs the help and version actions on <paramref name="root"/>.</summary>
    public static void Install(RootCommand root, int width)
    {
        for (var i = 0; i < root.Options.Count; i++)
        {
            if (root.Options[i] is HelpOption)
            {
                // -h and --help only (the Windows-style /? and /h would also be offered by shell completion).
                root.Options[i] = new HelpOption("--help", "-h") { Action = new HelpWithExamples(width) };
            }
            else if (root.Options[i] is VersionOption version)
            {
                version.Action = new PrintVersion();
            }
        }
    }

    /// <summary>The package version (the informational version without the <c>+commit</c> that SourceLink appends).</summary>
    public static string PackageVersion
    {
        get
        {
            var informational = typeof(CliHelp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                ?? typeof(CliHelp).Assembly.GetName().Version?.ToString() ?? "0.0.0";
            var plus = informational.IndexOf('+', StringComparison.Ordinal);
            return plus < 0 ? informational : informational[..plus];
        }
    }

    /// <summary>The command's name as <see cref="Examples"/> keys it: "" for the root, else the words after the tool's name.</summary>
    public static string NameOf(Command command)
    {
        var names = new List<string>();
        for (var c = command; c is not null and not RootCommand; c = c.Parents.OfType<Command>().FirstOrDefault())
        {
            names.Insert(0, c.Name);
        }

        return string.Join(' ', names);
    }

    private static void WriteExamples(TextWriter o, string name, string indent, int width)
    {
        if (!Examples.TryGetValue(name, out var examples))
        {
            return;
        }

        for (var i = 0; i < examples.Length; i++)
        {
            if (i > 0)
            {
                o.WriteLine();
            }

            Wrap(o, examples[i].Comment, indent + "# ", width);
            WrapCommandLine(o, examples[i].CommandLine, indent, width);
        }
    }

    /// <summary>Writes a shell command line wrapped at <paramref name="width"/> columns with backslash continuations, so that it still pastes.</summary>
    private static void WrapCommandLine(TextWriter o, string commandLine, string indent, int width)
    {
        var line = new System.Text.StringBuilder(indent);
        var continuation = indent + "    ";
        var empty = true;
        foreach (var word in commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            // Leave room for " \\" at the end of a broken line.
            if (!empty && line.Length + 1 + word.Length + 2 > width)
            {
                o.WriteLine(line.Append(" \\").ToString());
                line.Clear().Append(continuation);
                empty = true;
            }

            if (!empty)
            {
                line.Append(' ');
            }

            line.Append(word);
            empty = false;
        }

        o.WriteLine(line.ToString());
    }

    private static void WriteManPage(TextWriter o, Command command, string name, ManPage page, int width)
    {
        o.WriteLine("NAME");
        Wrap(o, $"postfix-config {name} - {command.Description}", "    ", width);
        o.WriteLine();
        o.WriteLine("SYNOPSIS");
        var synopsis = string.Concat(command.Arguments.Select(a => $" {a.Name}"))
            + string.Concat(command.Options.Concat(Recursive(command)).Where(op => op is not HelpOption and not VersionOption && !op.Hidden)
                .Select(op => op is Option<bool> ? $" [{op.Name}]" : $" [{op.Name} {op.HelpName ?? "VALUE"}]"));
        o.WriteLine($"    postfix-config {name}{synopsis}");
        o.WriteLine();
        o.WriteLine("DESCRIPTION");
        for (var i = 0; i < page.Description.Length; i++)
        {
            if (i > 0)
            {
                o.WriteLine();
            }

            Wrap(o, page.Description[i], "    ", width);
        }

        if (command.Arguments.Count > 0)
        {
            o.WriteLine();
            o.WriteLine("ARGUMENTS");
            foreach (var a in command.Arguments)
            {
                o.WriteLine($"    {a.Name}");
                Wrap(o, a.Description ?? string.Empty, "        ", width);
            }
        }

        o.WriteLine();
        o.WriteLine("OPTIONS");
        foreach (var op in command.Options.Concat(Recursive(command)).Where(op => !op.Hidden))
        {
            var aliases = string.Join(", ", op.Aliases.Order(StringComparer.Ordinal).Append(op.Name));
            o.WriteLine(op is Option<bool> or HelpOption ? $"    {aliases}" : $"    {aliases} {op.HelpName ?? "VALUE"}");
            Wrap(o, op.Description ?? string.Empty, "        ", width);
        }

        o.WriteLine();
        o.WriteLine("EXAMPLES");
        WriteExamples(o, name, "    ", width);
        o.WriteLine();
        o.WriteLine("EXIT STATUS");
        foreach (var (code, meaning) in page.ExitStatus)
        {
            o.WriteLine($"    {code}  {meaning}");
        }

        o.WriteLine();
        o.WriteLine("SEE ALSO");
        o.WriteLine($"    {string.Join(", ", page.SeeAlso)}");
    }

    /// <summary>The recursive options of the command's parents (--help, --verbose).</summary>
    private static IEnumerable<Option> Recursive(Command command) =>
        command.Parents.OfType<Command>().SelectMany(p => p.Options.Where(o => o.Recursive || o is HelpOption).Concat(Recursive(p)));

    /// <summary>Writes <paramref name="text"/> wrapped at <paramref name="width"/> columns.</summary>
    private static void Wrap(TextWriter o, string text, string indent, int width)
    {
        var line = new System.Text.StringBuilder(indent);
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > indent.Length && line.Length + 1 + word.Length > width)
            {
                o.WriteLine(line.ToString());
                line.Clear().Append(indent);
            }

            if (line.Length > indent.Length)
            {
                line.Append(' ');
            }

            line.Append(word);
        }

        if (line.Length > indent.Length)
        {
            o.WriteLine(line.ToString());
        }
    }

    /// <summary>System.CommandLine's help, then the command's examples; or the man page.</summary>
    private sealed class HelpWithExamples(int width) : SynchronousCommandLineAction
    {
        private readonly HelpAction _help = new() { MaxWidth = width };

        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            var command = parseResult.CommandResult.Command;
            var name = NameOf(command);
            var output = parseResult.InvocationConfiguration.Output;
            if (ManPages.TryGetValue(name, out var page))
            {
                WriteManPage(output, command, name, page, width);
                return CliApp.Ok;
            }

            _help.Invoke(parseResult);
            if (Examples.ContainsKey(name))
            {
                output.WriteLine("Examples:");
                WriteExamples(output, name, "  ", width);
                output.WriteLine();
            }

            return CliApp.Ok;
        }
    }

    /// <summary>Prints <see cref="PackageVersion"/>.</summary>
    private sealed class PrintVersion : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.WriteLine(PackageVersion);
            return CliApp.Ok;
        }
    }
}
