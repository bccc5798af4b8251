using System.CommandLine;

namespace PostfixConfig.Cli.Commands;

/// <summary><c>import MAIN_CF [--policy MAP_FILE]</c>: print an existing main.cf (and policy map) as YAML.</summary>
internal static class ImportCommand
{
    public static Command Create(CliIo io)
    {
        var mainCf = new Argument<string>("MAIN_CF") { Description = "The main.cf file to import." };
        var policy = new Option<string?>("--policy")
        {
            Description = "The TLS policy table source file to import as tls_policy (default: the table smtp_tls_policy_maps names, when it is next to main.cf).",
            HelpName = "MAP_FILE",
        };
        var version = CommonOptions.PostfixVersion();
        var command = new Command("import", "Print an existing main.cf and its TLS policy table as YAML in this tool's shape; rendering it gives the same postconf -n values.")
        {
            mainCf, policy, version,
        };
        command.SetAction(parse =>
        {
            var path = parse.GetRequiredValue(mainCf);
            var read = PostfixTls.ReadMainCfFile(path);
            if (read.HasErrors)
            {
                DiagnosticPrinter.Print(read.Diagnostics, OutputFormat.Text, io.Error);
                io.Error.WriteLine($"postfix-config: {path}: Postfix would refuse this file; fix the errors above.");
                return CliApp.Invalid;
            }

            var target = parse.GetValue(version);
            var imported = PostfixTls.Import(read.Value, ImportOptions.Default with { PostfixVersion = target, PolicyMapPath = parse.GetValue(policy) });
            if (imported.HasErrors)
            {
                DiagnosticPrinter.Print(read.Diagnostics.Concat(imported.Diagnostics), OutputFormat.Text, io.Error);
                io.Error.WriteLine($"postfix-config: {path}: not imported; fix the errors above.");
                return CliApp.Invalid;
            }

            var validation = PostfixTls.Validate(imported.Value, ValidationOptions.Default with { PostfixVersion = target });
            DiagnosticPrinter.Print(read.Diagnostics.Concat(imported.Diagnostics).Concat(validation), OutputFormat.Text, io.Error);
            io.Out.WriteLine($"# Imported from {Path.GetFileName(path)} by postfix-config import.");
            io.Out.Write(PostfixTls.ToYaml(imported.Value));
            return validation.HasErrors ? CliApp.Invalid : CliApp.Ok;
        });
        return command;
    }
}
