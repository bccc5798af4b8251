using System.CommandLine;
using PostfixConfig.Diagnostics;

namespace PostfixConfig.Cli.Commands;

/// <summary><c>status MAIN_CF</c> / <c>status --config-dir DIR</c>: is TLS on, inbound and outbound?</summary>
internal static class StatusCommand
{
    public static Command Create(CliIo io)
    {
        var mainCf = new Argument<string?>("MAIN_CF") { Description = "The main.cf file (master.cf is read from beside it).", Arity = ArgumentArity.ZeroOrOne };
        var configDir = new Option<string?>("--config-dir") { Description = "The Postfix configuration folder holding main.cf and master.cf (instead of MAIN_CF)." };
        var version = CommonOptions.PostfixVersion();
        var format = CommonOptions.Format();
        format.Description = "Output format: text, or json (schema/tls-status.schema.json).";
        var checkFiles = CommonOptions.CheckFiles();
        checkFiles.Description = "Also read the certificate files: issuer, expiry, self-signed.";
        var checkDns = new Option<bool>("--check-dns")
        {
            Description = "Also run Postfix's dnssec_probe (default ns:.) against the resolver and say whether outbound dane works or silently falls back to may (dane-only would defer all mail).",
        };
        var resolver = ProbeCommand.Resolver();
        var timeout = ProbeCommand.Timeout("Seconds to wait for the resolver with --check-dns (default 5).");
        var command = new Command("status", "Say whether TLS is on: for every smtpd or postscreen listener of master.cf (off, offered, required or implicit, and why; the certificate; the protocol floor) and for the SMTP client (level, DANE, policy table, session cache), as Postfix would apply main.cf and master.cf.")
        {
            mainCf, configDir, version, format, checkFiles, checkDns, resolver, timeout,
        };
        command.SetAction(parse =>
        {
            var file = parse.GetValue(mainCf);
            var dir = parse.GetValue(configDir);
            if ((file is null) == (dir is null))
            {
                io.Error.WriteLine("postfix-config: status takes MAIN_CF or --config-dir DIR (one of the two).");
                return CliApp.Failure;
            }

            if (!parse.GetValue(checkDns) && parse.GetValue(resolver) is not null)
            {
                io.Error.WriteLine("postfix-config: --resolver goes with --check-dns.");
                return CliApp.Failure;
            }

            var path = file ?? Path.Combine(dir!, "main.cf");
            var status = PostfixTls.Status(path, StatusOptions.Default with
            {
                PostfixVersion = parse.GetValue(version),
                CheckFiles = parse.GetValue(checkFiles),
                CheckDns = parse.GetValue(checkDns)
                    ? Dns.DnsResolverOptions.Default with { Resolver = parse.GetValue(resolver), Timeout = parse.GetValue(timeout) ?? ProbeCommand.DefaultDnsTimeout }
                    : null,
            });

            // The resolver cannot be asked (no answer, not an address): one line, exit code 2, as lint --check-dns.
            if (status.Diagnostics.Errors.FirstOrDefault(d => d.Code is DiagnosticCodes.DnsLookupFailed or DiagnosticCodes.DnsResolverInvalid) is { } dnsFailure)
            {
                io.Error.WriteLine($"postfix-config: {CliApp.OneLine(dnsFailure.ToString())}");
                return CliApp.Failure;
            }

            if (status.Diagnostics.HasErrors)
            {
                DiagnosticPrinter.Print(status.Diagnostics.Errors, OutputFormat.Text, io.Error);
                return CliApp.Invalid;
            }

            io.Out.Write(parse.GetValue(format) == OutputFormat.Json ? status.ToJson() : status.ToText());
            return CliApp.Ok;
        });
        return command;
    }
}
