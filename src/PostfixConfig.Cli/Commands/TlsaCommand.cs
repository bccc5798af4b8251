using System.CommandLine;
using PostfixConfig.Certificates;
using PostfixConfig.Diagnostics;
using PostfixConfig.Probe;

namespace PostfixConfig.Cli.Commands;

/// <summary>
/// <c>tlsa CERT_OR_CHAIN.pem --host mail.example.com [--port 25] [--usage 3|2] [--selector 1|0] [--matching 1|2]</c>:
/// the TLSA records to publish for DANE; by default 3 1 1 for the leaf plus 2 1 1 for each issuing intermediate.
/// With <c>--check HOST</c> the records are also matched against the chain HOST serves on the port
/// (exit code 1 when one does not match, 2 when the probe fails), before publishing and in a renewal hook.
/// </summary>
internal static class TlsaCommand
{
    public static Command Create(CliIo io)
    {
        var file = new Argument<string?>("CERT_OR_CHAIN")
        {
            Description = "The server certificate, or its chain with the leaf first (for Let's Encrypt: fullchain.pem).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var host = new Option<string?>("--host")
        {
            Description = "The MX host name the records are for (the name the MX record points to).",
            HelpName = "NAME",
        };
        var key = new Option<string?>("--key")
        {
            Description = "Instead of a certificate: a bare key (private or public, PEM or DER), for the 3 1 1 record of the next key of a rollover.",
            HelpName = "FILE",
        };
        var nextKey = new Option<string?>("--next-key")
        {
            Description = "The key the next certificate will have: its 3 1 1 record is added to what should be published.",
            HelpName = "FILE",
        };
        var dns = new Option<bool>("--dns")
        {
            Description = "Look up the published TLSA records (with DNSSEC status) and compare: what to add, what is stale, and whether renewing now would break delivery.",
        };
        var resolver = ProbeCommand.Resolver();
        var port = new Option<int>("--port")
        {
            Description = "The TCP port (25 for SMTP).",
            DefaultValueFactory = _ => 25,
        };
        var usage = new Option<string?>("--usage")
        {
            Description = "3 (DANE-EE: the leaf) or 2 (DANE-TA: the issuing intermediates). Default: both, 3 for the leaf and 2 for each intermediate in the file.",
        }.AcceptOnlyFromAmong("3", "2");
        var selector = new Option<string>("--selector")
        {
            Description = "1 (the public key, survives renewals that keep the key) or 0 (the whole certificate).",
            DefaultValueFactory = _ => "1",
        }.AcceptOnlyFromAmong("1", "0");
        var matching = new Option<string>("--matching")
        {
            Description = "1 (SHA-256) or 2 (SHA-512).",
            DefaultValueFactory = _ => "1",
        }.AcceptOnlyFromAmong("1", "2");
        var check = new Option<string?>("--check")
        {
            Description = "Also connect to HOST on --port and check that each record matches the chain it serves (exit code 1 when one does not).",
            HelpName = "HOST",
        };
        var timeout = ProbeCommand.Timeout();
        var command = new Command("tlsa", "Print the TLSA records to publish for DANE (zone file lines).")
        {
            file, host, port, usage, selector, matching, check, key, nextKey, dns, resolver, timeout,
        };
        command.SetAction(parse =>
        {
            var matchingType = parse.GetValue(matching) == "2" ? TlsaMatchingType.Sha512 : TlsaMatchingType.Sha256;
            if (parse.GetValue(key) is { } keyFile)
            {
                if (parse.GetValue(file) is not null || parse.GetValue(dns) || parse.GetValue(check) is not null || parse.GetValue(nextKey) is not null)
                {
                    io.Error.WriteLine("postfix-config: --key makes the record of one key; give either CERT_OR_CHAIN or --key, without --dns, --check or --next-key.");
                    return CliApp.Failure;
                }

                return KeyRecord(keyFile, parse.GetValue(host), parse.GetValue(port), matchingType, io);
            }

            if (parse.GetValue(file) is null || parse.GetValue(host) is null)
            {
                io.Error.WriteLine($"postfix-config: tlsa needs {(parse.GetValue(file) is null ? "CERT_OR_CHAIN (or --key FILE)" : "--host NAME, the MX host name the records are for")}.");
                return CliApp.Failure;
            }

            if (parse.GetValue(resolver) is not null && !parse.GetValue(dns))
            {
                io.Error.WriteLine("postfix-config: --resolver goes with --dns.");
                return CliApp.Failure;
            }

            var options = new TlsaOptions(parse.GetValue(host)!)
            {
                Port = parse.GetValue(port),
                Usage = parse.GetValue(usage) switch
                {
                    "3" => TlsaUsage.DaneEe,
                    "2" => TlsaUsage.DaneTa,
                    _ => null,
                },
                Selector = parse.GetValue(selector) == "0" ? TlsaSelector.FullCertificate : TlsaSelector.SubjectPublicKeyInfo,
                MatchingType = matchingType,
            };
            if (parse.GetValue(dns))
            {
                return Published(parse.GetValue(file)!, options, parse.GetValue(nextKey), parse.GetValue(resolver), parse.GetValue(timeout) ?? ProbeCommand.DefaultTimeout, io);
            }

            var result = PostfixTls.TlsaFile(parse.GetValue(file)!, options);
            DiagnosticPrinter.Print(result.Diagnostics, OutputFormat.Text, io.Error);
            if (result.HasErrors)
            {
                return CliApp.Invalid;
            }

            var code = CliApp.Ok;
            if (parse.GetValue(check) is { } server)
            {
                code = Check(server, options, parse.GetValue(timeout) ?? ProbeCommand.DefaultTimeout, result.Value, io);
                if (code == CliApp.Failure)
                {
                    return code;
                }
            }

            foreach (var record in result.Value)
            {
                io.Out.WriteLine(record.ToString());
            }

            if (parse.GetValue(nextKey) is { } next)
            {
                var nextRecord = PostfixTls.TlsaKeyFile(next, matchingType);
                DiagnosticPrinter.Print(nextRecord.Diagnostics, OutputFormat.Text, io.Error);
                if (nextRecord.HasErrors)
                {
                    return CliApp.Invalid;
                }

                io.Out.WriteLine($"{result.Value[0].OwnerName} IN TLSA {nextRecord.Value}");
            }

            return code;
        });
        return command;
    }

    /// <summary><c>tlsa --key FILE [--host HOST]</c>: the 3 1 1 record of a bare key.</summary>
    private static int KeyRecord(string path, string? host, int port, TlsaMatchingType matching, CliIo io)
    {
        var name = host?.Trim().TrimEnd('.').ToLowerInvariant();
        var owner = name is null ? null : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"_{port}._tcp.{name}.");
        if (name is not null && (name.Length is 0 or > 253 || port is < 1 or > 65535
            || name.Split('.').Any(l => l.Length is 0 or > 63 || l[0] == '-' || l[^1] == '-' || !l.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))))
        {
            io.Error.WriteLine($"postfix-config: '{CliApp.OneLine(host!)}' port {port} is not a host name and port for a TLSA record.");
            return CliApp.Failure;
        }

        var result = PostfixTls.TlsaKeyFile(path, matching);
        DiagnosticPrinter.Print(result.Diagnostics, OutputFormat.Text, io.Error);
        if (result.HasErrors)
        {
            return CliApp.Invalid;
        }

        io.Out.WriteLine(owner is null ? result.Value.ToString() : $"{owner} IN TLSA {result.Value}");
        return CliApp.Ok;
    }

    /// <summary><c>tlsa CHAIN --host HOST [--next-key FILE] --dns</c>: 0 in order, 1 something to do, 2 the lookup failed.</summary>
    private static int Published(string chain, TlsaOptions options, string? nextKey, string? resolver, TimeSpan timeout, CliIo io)
    {
        var result = PostfixTls.CheckTlsaDns(chain, new Dns.TlsaDnsOptions(options.Host)
        {
            Port = options.Port,
            NextKey = nextKey,
            Dns = Dns.DnsResolverOptions.Default with { Resolver = resolver, Timeout = timeout },
        });
        if (result.HasErrors)
        {
            DiagnosticPrinter.Print(result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error), OutputFormat.Text, io.Error);
            return result.Diagnostics.Errors.Any(d => d.Code is DiagnosticCodes.DnsLookupFailed or DiagnosticCodes.DnsResolverInvalid) ? CliApp.Failure : CliApp.Invalid;
        }

        var report = result.Value;
        io.Out.WriteLine($"{report.OwnerName}: {report.Published.Count} record(s) published, DNSSEC {MxProbeOutput.Status(report.Dnssec)}");
        foreach (var p in report.Published)
        {
            var state = p.State switch
            {
                Dns.TlsaPublicationState.Expected => "ok",
                Dns.TlsaPublicationState.MatchesCurrentChain => "matches the current chain (not a recommended record)",
                _ => "STALE: remove",
            };
            io.Out.WriteLine($"  published  {ProbeOutput.Abbreviated(p.Record)}  {state}");
        }

        foreach (var add in report.ToAdd)
        {
            io.Out.WriteLine($"  add        {add}");
        }

        io.Out.WriteLine($"current chain: {(report.CurrentChainAuthenticated ? "authenticated by a published record" : "NOT authenticated: DANE clients defer mail today")}");
        io.Out.WriteLine($"renewal:      {(report.RenewalSafe ? "safe: a published record matches the renewed chain" : "UNSAFE: no published record would match the renewed chain")}");
        DiagnosticPrinter.Print(result.Diagnostics, OutputFormat.Text, io.Error);
        return report.InOrder ? CliApp.Ok : CliApp.Invalid;
    }

    /// <summary>Matches the records against the chain <paramref name="server"/> serves: 0 all match, 1 one does not, 2 the probe failed.</summary>
    private static int Check(string server, TlsaOptions options, TimeSpan timeout, IReadOnlyList<TlsaRecord> records, CliIo io)
    {
        var probe = PostfixTls.Probe(new ProbeOptions(server)
        {
            Port = options.Port,
            ServerName = options.Host,
            Tlsa = [.. records.Select(TlsaAssociation.FromRecord)],
            Timeout = timeout,
        });
        if (probe.HasErrors)
        {
            DiagnosticPrinter.Print(probe.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error), OutputFormat.Text, io.Error);
            return CliApp.Failure;
        }

        var dane = probe.Value.Dane!;
        DiagnosticPrinter.Print(probe.Diagnostics.Where(d => d.Code is DiagnosticCodes.TlsaMatched or DiagnosticCodes.TlsaNotMatched
            or DiagnosticCodes.DaneVerdict or DiagnosticCodes.StartTlsNotOffered), OutputFormat.Text, io.Error);
        return dane.Records.All(m => m.Outcome == TlsaOutcome.Authenticates) ? CliApp.Ok : CliApp.Invalid;
    }
}
