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
        var file = new Argument<string>("CERT_OR_CHAIN")
        {
            Description = "The server certificate, or its chain with the leaf first (for Let's Encrypt: fullchain.pem).",
        };
        var host = new Option<string>("--host")
        {
            Description = "The MX host name the records are for (the name the MX record points to).",
            HelpName = "NAME",
            Required = true,
        };
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
            file, host, port, usage, selector, matching, check, timeout,
        };
        command.SetAction(parse =>
        {
            var options = new TlsaOptions(parse.GetRequiredValue(host))
            {
                Port = parse.GetValue(port),
                Usage = parse.GetValue(usage) switch
                {
                    "3" => TlsaUsage.DaneEe,
                    "2" => TlsaUsage.DaneTa,
                    _ => null,
                },
                Selector = parse.GetValue(selector) == "0" ? TlsaSelector.FullCertificate : TlsaSelector.SubjectPublicKeyInfo,
                MatchingType = parse.GetValue(matching) == "2" ? TlsaMatchingType.Sha512 : TlsaMatchingType.Sha256,
            };
            var result = PostfixTls.TlsaFile(parse.GetRequiredValue(file), options);
            DiagnosticPrinter.Print(result.Diagnostics, "text", io.Error);
            if (result.HasErrors)
            {
                return CliApp.Invalid;
            }

            var code = CliApp.Ok;
            if (parse.GetValue(check) is { } server)
            {
                code = Check(server, options, parse.GetValue(timeout), result.Value, io);
                if (code == CliApp.Failure)
                {
                    return code;
                }
            }

            foreach (var record in result.Value)
            {
                io.Out.WriteLine(record.ToString());
            }

            return code;
        });
        return command;
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
            DiagnosticPrinter.Print(probe.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error), "text", io.Error);
            return CliApp.Failure;
        }

        var dane = probe.Value.Dane!;
        DiagnosticPrinter.Print(probe.Diagnostics.Where(d => d.Code is DiagnosticCodes.TlsaMatched or DiagnosticCodes.TlsaNotMatched
            or DiagnosticCodes.DaneVerdict or DiagnosticCodes.StartTlsNotOffered), "text", io.Error);
        return dane.Records.All(m => m.Outcome == TlsaOutcome.Authenticates) ? CliApp.Ok : CliApp.Invalid;
    }
}
