using System.CommandLine;

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
        var command = new Command("lint", "Check an existing main.cf as Postfix reads it: syntax, validation rules with line and column, $ expressions, the policy map and master.cf next to it, and advice on distribution defaults.")
        {
            mainCf, version, format, checkFiles,
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
            };
            var diagnostics = PostfixTls.LintMainCfFile(path, options);
            DiagnosticPrinter.Print(diagnostics, parse.GetValue(format) ?? "text", io.Out);
            return diagnostics.HasErrors ? CliApp.Invalid : CliApp.Ok;
        });
        return command;
    }
}
