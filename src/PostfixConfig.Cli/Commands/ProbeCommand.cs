using System.CommandLine;
using System.Globalization;
using PostfixConfig.Certificates;
using PostfixConfig.Diagnostics;
using PostfixConfig.Probe;

namespace PostfixConfig.Cli.Commands;

/// <summary>
/// <c>probe HOST [--port 25|587|465] [--starttls auto|yes|no] [--servername NAME] [--tlsa RECORD]...
/// [--tlsa-file FILE] [--protocols] [--ciphers] [--resumption] [--cafile FILE] [--capath DIR] [--expect-tls]
/// [--timeout SECONDS] [--format text|json]</c>:
/// TLS as the world sees it, and TLSA records checked against the served chain.
/// Exit codes: 0 probed; 1 a TLSA record cannot be read, or with <c>--expect-tls</c> no TLS (or,
/// with TLSA records, a DANE client would not deliver); 2 the probe failed (connection, timeout,
/// not SMTP, TLS handshake) or a usage or file error. An SMTP failure after a completed handshake
/// is a warning: the exit code follows the TLS result.
/// </summary>
internal static class ProbeCommand
{
    public static Command Create(CliIo io)
    {
        var host = new Argument<string>("HOST")
        {
            Description = "The SMTP server: a host name (its first address is used) or an IP address.",
        };
        var port = Port();
        var startTls = new Option<string>("--starttls")
        {
            Description = "auto: implicit TLS on port 465; elsewhere a plain-text greeting means STARTTLS (when offered) and silence for 1.5 s a ClientHello (implicit TLS); yes: send STARTTLS even when not offered; no: TLS from the first byte (465, smtpd_tls_wrappermode).",
            DefaultValueFactory = _ => "auto",
        }.AcceptOnlyFromAmong("auto", "yes", "no");
        var serverName = new Option<string?>("--servername")
        {
            Description = "The name sent as SNI and checked against the certificate and DANE-TA records (default: HOST when it is a name).",
            HelpName = "NAME",
        };
        var tlsa = new Option<string[]>("--tlsa")
        {
            Description = "A TLSA record to match: '3 1 1 HEX', '2 1 1 HEX' or a zone file line (repeatable).",
            HelpName = "RECORD",
            AllowMultipleArgumentsPerToken = false,
        };
        var tlsaFile = new Option<string?>("--tlsa-file")
        {
            Description = "A file of TLSA records (zone file lines, dig output or 'U S M HEX' lines; ';' starts a comment).",
            HelpName = "FILE",
        };
        var protocols = new Option<bool>("--protocols")
        {
            Description = "Also try SSLv3 and TLS 1.0 to 1.3 each on its own connection.",
        };
        var ciphers = new Option<bool>("--ciphers")
        {
            Description = "Also list the cipher suites the server accepts with each protocol version, weak ones flagged (anonymous, export, RC4, 3DES, NULL, under 128 bits); one handshake per suite.",
        };
        var resumption = new Option<bool>("--resumption")
        {
            Description = "Also connect a second time offering the first session, and report whether the server resumes it.",
        };
        var caFile = new Option<string?>("--cafile")
        {
            Description = "A PEM file of CA certificates to trust beside the system's (a private CA), for pkix_trusted; as posttls-finger -F, openssl -CAfile.",
            HelpName = "FILE",
        };
        var caPath = new Option<string?>("--capath")
        {
            Description = "A folder of hashed CA certificates (c_rehash) to trust beside the system's, as openssl -CApath.",
            HelpName = "DIR",
        };
        var expectTls = new Option<bool>("--expect-tls")
        {
            Description = "Exit with 1 unless TLS is negotiated; with TLSA records, unless a DANE client would deliver.",
        };
        var mx = new Option<bool>("--mx")
        {
            Description = "With --dane: HOST is a mail domain; look up its MX records and probe each MX host.",
        };
        var dane = new Option<bool>("--dane")
        {
            Description = "Look up the TLSA records of HOST (or of each MX host with --mx) with DNSSEC status and say what Postfix at level dane would do, as posttls-finger -l dane.",
        };
        var resolver = Resolver();
        var timeout = Timeout();
        var format = CommonOptions.Format("Output format.");
        var command = new Command("probe", "Connect to an SMTP server and show its TLS as the world sees it: STARTTLS, protocol, cipher, the served chain, and whether TLSA records match.")
        {
            host, port, startTls, serverName, tlsa, tlsaFile, protocols, ciphers, resumption, caFile, caPath, expectTls, mx, dane, resolver, timeout, format,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(dane) || parse.GetValue(mx) || parse.GetValue(resolver) is not null)
            {
                return Dane(parse, io, host, port, mx, dane, resolver, timeout, format, [tlsa, tlsaFile, protocols, serverName, expectTls, ciphers, resumption, caFile, caPath]);
            }

            var records = ReadRecords(parse.GetValue(tlsa) ?? [], parse.GetValue(tlsaFile), io, out var failure);
            if (records is null)
            {
                return failure;
            }

            foreach (var (option, path, folder) in new[] { (caFile, parse.GetValue(caFile), false), (caPath, parse.GetValue(caPath), true) })
            {
                if (path is not null && !(folder ? Directory.Exists(path) : File.Exists(path)))
                {
                    io.Error.WriteLine($"postfix-config: {option.Name} {path}: no such {(folder ? "folder" : "file")}.");
                    return CliApp.Failure;
                }
            }

            var options = new ProbeOptions(parse.GetRequiredValue(host))
            {
                Port = parse.GetValue(port),
                StartTls = parse.GetValue(startTls) switch
                {
                    "yes" => StartTlsMode.Yes,
                    "no" => StartTlsMode.No,
                    _ => StartTlsMode.Auto,
                },
                ServerName = parse.GetValue(serverName),
                Tlsa = records,
                ScanProtocols = parse.GetValue(protocols),
                ScanCiphers = parse.GetValue(ciphers),
                CheckResumption = parse.GetValue(resumption),
                CaFile = parse.GetValue(caFile),
                CaPath = parse.GetValue(caPath),
                Timeout = parse.GetValue(timeout) ?? DefaultTimeout,
            };
            var result = PostfixTls.Probe(options);
            if (result.HasErrors)
            {
                DiagnosticPrinter.Print(result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error), OutputFormat.Text, io.Error);
                return CliApp.Failure;
            }

            if (parse.GetValue(format) == OutputFormat.Json)
            {
                io.Out.WriteLine(ProbeOutput.ToJson(result.Value, result.Diagnostics));
            }
            else
            {
                ProbeOutput.WriteText(result.Value, result.Diagnostics, io.Out);
            }

            return ExitCode(result.Value, parse.GetValue(expectTls));
        });
        return command;
    }

    /// <summary><c>probe DOMAIN --mx --dane</c> and <c>probe HOST --dane</c>: DNS with DNSSEC status, then each MX host.</summary>
    private static int Dane(ParseResult parse, CliIo io, Argument<string> host, Option<int> port, Option<bool> mx, Option<bool> dane,
        Option<string?> resolver, Option<TimeSpan?> timeout, Option<OutputFormat> format, Option[] others)
    {
        if (!parse.GetValue(dane))
        {
            io.Error.WriteLine($"postfix-config: {(parse.GetValue(mx) ? "--mx" : "--resolver")} goes with --dane (probe DOMAIN --mx --dane, or probe HOST --dane).");
            return CliApp.Failure;
        }

        if (others.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } other)
        {
            io.Error.WriteLine($"postfix-config: {other.Name} does not go with --dane: the TLSA records come from DNS, and the probe is the one Postfix makes.");
            return CliApp.Failure;
        }

        var options = new Dns.MxProbeOptions(parse.GetRequiredValue(host))
        {
            LookupMx = parse.GetValue(mx),
            Port = parse.GetValue(port),
            Timeout = parse.GetValue(timeout) ?? DefaultTimeout,
            Dns = Dns.DnsResolverOptions.Default with { Resolver = parse.GetValue(resolver), Timeout = parse.GetValue(timeout) ?? DefaultTimeout },
        };
        var result = PostfixTls.ProbeMx(options);
        if (result.HasErrors)
        {
            DiagnosticPrinter.Print(result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error), OutputFormat.Text, io.Error);
            return CliApp.Failure;
        }

        if (parse.GetValue(format) == OutputFormat.Json)
        {
            io.Out.WriteLine(MxProbeOutput.ToJson(result.Value));
        }
        else
        {
            MxProbeOutput.WriteText(result.Value, io.Out);
        }

        return MxProbeOutput.ExitCode(result.Value);
    }

    internal static Option<string?> Resolver() => new("--resolver")
    {
        Description = "The DNS resolver to ask, ADDR[:PORT] or [IPV6]:PORT (default: the nameserver lines of /etc/resolv.conf, as Postfix).",
        HelpName = "ADDR[:PORT]",
    };

    /// <summary>0, or 1 when <c>--expect-tls</c> is not met (no TLS; with TLSA records, no delivery by a DANE client).</summary>
    internal static int ExitCode(ProbeReport report, bool expectTls) =>
        !expectTls ? CliApp.Ok
        : report.Dane is { } dane ? (dane.WouldDeliver ? CliApp.Ok : CliApp.Invalid)
        : report.Tls is not null ? CliApp.Ok : CliApp.Invalid;

    /// <summary>
    /// The records of the <c>--tlsa</c> options and the <c>--tlsa-file</c>, or null (errors printed) when one cannot be read:
    /// <paramref name="failure"/> is then 2 for a bad <c>--tlsa</c> value (a usage error), 1 for a file with errors (its line and column).
    /// </summary>
    private static List<TlsaAssociation>? ReadRecords(string[] records, string? file, CliIo io, out int failure)
    {
        failure = CliApp.Invalid;
        var all = new List<TlsaAssociation>();
        var errors = new List<Diagnostic>();
        for (var i = 0; i < records.Length; i++)
        {
            // Each --tlsa is one record; its position names it in messages: --tlsa#2(1,7).
            var parsed = PostfixTls.ParseTlsa(records[i], string.Create(CultureInfo.InvariantCulture, $"--tlsa#{i + 1}"));
            errors.AddRange(parsed.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
            if (parsed.Value is { Count: > 1 })
            {
                errors.Add(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.TlsaSyntax, null,
                    string.Create(CultureInfo.InvariantCulture, $"--tlsa#{i + 1} holds {parsed.Value.Count} records; give one record per --tlsa, or use --tlsa-file.")));
            }
            else if (parsed.Value is { } value)
            {
                // A record no DANE client can use (an undefined usage, selector or matching type, a digest of the
                // wrong length) is bad input on the command line, not a record to match: one line, exit code 2.
                // Usages 0 and 1 are defined (not for SMTP): matching reports them.
                foreach (var record in value.Where(r => r.Usage is not (TlsaUsage.PkixTa or TlsaUsage.PkixEe)))
                {
                    if (DaneMatcher.Unusable(record) is { } why)
                    {
                        errors.Add(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.TlsaSyntax, null,
                            $"{ProbeOutput.Abbreviated(record)} is malformed: {why} Give a record DANE clients can use, as in 3 1 1 followed by 64 hex digits.", record.Span));
                    }
                }

                all.AddRange(value);
            }
        }

        if (errors.Count > 0)
        {
            // A bad --tlsa value is a usage error: exit code 2, one line per problem, nothing probed.
            DiagnosticPrinter.Print(errors, OutputFormat.Text, io.Error);
            failure = CliApp.Failure;
            return null;
        }

        if (file is not null)
        {
            var parsed = PostfixTls.ParseTlsaFile(file);
            errors.AddRange(parsed.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
            all.AddRange(parsed.Value ?? []);
        }

        if (errors.Count > 0)
        {
            DiagnosticPrinter.Print(errors, OutputFormat.Text, io.Error);
            return null;
        }

        return all;
    }

    internal static Option<int> Port() => new("--port")
    {
        Description = "The TCP port: 25 (SMTP), 587 (submission, STARTTLS) or 465 (submissions, implicit TLS).",
        DefaultValueFactory = _ => 25,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= 1 and <= 65535)
            {
                return value;
            }

            result.AddError($"'{text}' is not a TCP port; give a number from 1 to 65535 (25, 587 or 465).");
            return 0;
        },
    };

    /// <summary>The wait of probe and of tlsa --check and --dns when --timeout is not given.</summary>
    internal static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The wait for the resolver of lint and status --check-dns when --timeout is not given.</summary>
    internal static readonly TimeSpan DefaultDnsTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// <c>--timeout SECONDS</c>, null when not given (the caller's default applies: the help then says the
    /// default in seconds, as the description gives it, instead of System.CommandLine's "[default: 00:00:10]").
    /// </summary>
    internal static Option<TimeSpan?> Timeout(string description = "Seconds to wait for the connection, for each reply and for the TLS handshake (default 10).") => new("--timeout")
    {
        Description = description,
        HelpName = "SECONDS",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and <= 3600)
            {
                return TimeSpan.FromSeconds(seconds);
            }

            result.AddError($"'{text}' is not a timeout; give seconds, more than 0 and at most 3600 (default {DefaultTimeout.TotalSeconds:0}).");
            return null;
        },
    };
}
