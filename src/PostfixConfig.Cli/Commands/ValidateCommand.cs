using System.CommandLine;

namespace PostfixConfig.Cli.Commands;

/// <summary><c>validate CONFIG.yaml</c>: print diagnostics; exit 1 when there is an error.</summary>
internal static class ValidateCommand
{
    public static Command Create(CliIo io)
    {
        var config = CommonOptions.ConfigFile();
        var version = CommonOptions.PostfixVersion();
        var format = CommonOptions.Format();
        var checkFiles = CommonOptions.CheckFiles();
        var showOrigin = new Option<bool>("--show-origin")
        {
            Description = "Also list every effective setting of main.cf and master.cf with where it comes from: main, the profile (and its row), a service's defaults, or its own settings (info PFX9004).",
        };
        var command = new Command("validate", "Check a YAML configuration for the Postfix release it is for.")
        {
            config, version, format, checkFiles, showOrigin,
        };
        command.SetAction(parse =>
        {
            var path = parse.GetRequiredValue(config);
            var loaded = PostfixTls.LoadYamlFile(path);
            var diagnostics = loaded.Diagnostics;
            if (!loaded.HasErrors)
            {
                diagnostics = diagnostics.Concat(PostfixTls.Validate(loaded.Value, ValidationOptions.Default with { PostfixVersion = parse.GetValue(version), ShowOrigins = parse.GetValue(showOrigin) }));
                if (parse.GetValue(checkFiles))
                {
                    diagnostics = diagnostics.Concat(PostfixTls.CheckFiles(loaded.Value));
                }
            }

            DiagnosticPrinter.Print(diagnostics, parse.GetValue(format), io.Out);
            return diagnostics.HasErrors ? CliApp.Invalid : CliApp.Ok;
        });
        return command;
    }
}
