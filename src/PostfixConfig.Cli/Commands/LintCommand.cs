using System.CommandLine;
using PostfixConfig.Diagnostics;

namespace PostfixConfig.Cli.Commands;

/// <summary><c>lint MAIN_CF</c>: check an existing main.cf (and the policy map next to it); exit 1 on errors.</summary>
internal static class LintCommand
{
    public static Command Create(CliIo io)
    {
        var mainCf = new Argument<string>("MAIN_CF") { Description = "The main.cf file to check." };
        var version = CommonOptions.PostfixVersion();
        var format = CommonOptions.Format();
        var checkFiles = CommonOptions.CheckFiles();
        var checkDns = new Option<bool>("--check-dns")
        {
            Description = "Also run Postfix's dnssec_probe against the resolver and say whether the DANE levels main.cf uses are effective (dane silently works as may without a validating resolver).",
        };
        var resolver = ProbeCommand.Resolver();
        var timeout = ProbeCommand.Timeout("Seconds to wait for the resolver with --check-dns (default 5).");
        var command = new Command("lint", "Check an existing main.cf as Postfix reads it: syntax, validation rules with line and column, $ expressions, the policy map and master.cf next to it, and advice on distribution defaults.")
        {
            mainCf, version, format, checkFiles, checkDns, resolver, timeout,
        };
        command.SetAction(parse =>
        {
            var path = parse.GetRequiredValue(mainCf);
            var options = LintOptions.Default with
            {
                Validation = ValidationOptions.Default with { PostfixVersion = parse.GetValue(version) },
                CheckFiles = parse.GetValue(checkFiles)
                    ? Certificates.CertificateCheckOptions.Default with { ConfigDirectory = Path.GetDirectoryName(Path.GetFullPath(path))! }
                    : null,
                CheckDns = parse.GetValue(checkDns)
                    ? Dns.DnsResolverOptions.Default with { Resolver = parse.GetValue(resolver), Timeout = parse.GetValue(timeout) ?? ProbeCommand.DefaultDnsTimeout }
                    : null,
            };
            if (!parse.GetValue(checkDns) && parse.GetValue(resolver) is not null)
            {
                io.Error.WriteLine("postfix-config: --resolver goes with --check-dns.");
                return CliApp.Failure;
            }

            var diagnostics = PostfixTls.LintMainCfFile(path, options);

            // The resolver cannot be asked (no answer, a bad address): one line, exit code 2, as for every I/O failure.
            if (diagnostics.Errors.FirstOrDefault(d => d.Code is DiagnosticCodes.DnsLookupFailed or DiagnosticCodes.DnsResolverInvalid) is { } dnsFailure)
            {
                io.Error.WriteLine($"postfix-config: {CliApp.OneLine(dnsFailure.ToString())}");
                return CliApp.Failure;
            }

            DiagnosticPrinter.Print(diagnostics, parse.GetValue(format), io.Out);
            return diagnostics.HasErrors ? CliApp.Invalid : CliApp.Ok;
        });
        return command;
    }
}
