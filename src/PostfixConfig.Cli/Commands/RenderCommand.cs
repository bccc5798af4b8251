using System.CommandLine;

namespace PostfixConfig.Cli.Commands;

/// <summary><c>render CONFIG.yaml --out DIR</c>: validate, then write main.cf and the map files.</summary>
internal static class RenderCommand
{
    public static Command Create(CliIo io)
    {
        var config = CommonOptions.ConfigFile();
        var output = new Option<string>("--out", "-o")
        {
            Description = "The folder to write main.cf and the map files into (created if needed).",
            HelpName = "DIR",
            Required = true,
        };
        var version = CommonOptions.PostfixVersion();
        var templates = CommonOptions.Templates();
        var backup = new Option<bool>("--backup")
        {
            Description = "Keep the previous version of each replaced file as NAME.bak.",
        };
        var checkFiles = CommonOptions.CheckFiles();
        var reloadHook = new Option<string[]>("--reload-hook")
        {
            Description = "Also write a reload hook so Postfix picks up renewed certificates: certbot (a deploy hook script) or systemd (a path and a service unit). Repeat for both.",
        }.AcceptOnlyFromAmong("certbot", "systemd");
        var lockTimeout = CommonOptions.LockTimeout();
        var followSymlinks = new Option<bool>("--follow-symlinks")
        {
            Description = "Write through symbolic links in the output folder that lead to files inside it (by default a link is refused; one leading out of the folder always is).",
        };
        var command = new Command("render", "Validate a YAML configuration and write main.cf and the TLS policy map.")
        {
            config, output, version, templates, backup, checkFiles, reloadHook, followSymlinks, lockTimeout,
        };
        command.SetAction(parse =>
        {
            var path = parse.GetRequiredValue(config);
            var loaded = PostfixTls.LoadYamlFile(path);
            if (loaded.HasErrors)
            {
                DiagnosticPrinter.Print(loaded.Diagnostics, OutputFormat.Text, io.Error);
                return CliApp.Invalid;
            }

            var options = RenderOptions.Default with
            {
                TemplateDirectory = parse.GetValue(templates),
                Validation = ValidationOptions.Default with { PostfixVersion = parse.GetValue(version) },
                ReloadHooks = ReloadHookOption(parse.GetValue(reloadHook)),
            };
            var rendered = PostfixTls.Render(loaded.Value, options);
            var files = parse.GetValue(checkFiles) ? PostfixTls.CheckFiles(loaded.Value) : Diagnostics.DiagnosticList.Empty;
            DiagnosticPrinter.Print(loaded.Diagnostics.Concat(rendered.Diagnostics).Concat(files), OutputFormat.Text, io.Error);
            if (rendered.HasErrors || files.HasErrors)
            {
                io.Error.WriteLine($"postfix-config: {path}: not rendered; fix the errors above. Nothing was written.");
                return CliApp.Invalid;
            }

            var written = rendered.Value.WriteTo(
                parse.GetRequiredValue(output),
                WriteOptions.Default with { Backup = parse.GetValue(backup), FollowSymlinks = parse.GetValue(followSymlinks), LockTimeout = parse.GetValue(lockTimeout) ?? WriteOptions.Default.LockTimeout, LockWaiting = m => io.Error.WriteLine($"postfix-config: {m}") });
            foreach (var file in written)
            {
                io.Out.WriteLine(file);
            }

            return CliApp.Ok;
        });
        return command;
    }

    private static Certificates.ReloadHooks ReloadHookOption(string[]? values) =>
        (values ?? []).Aggregate(Certificates.ReloadHooks.None, (hooks, v) => hooks | (v == "systemd" ? Certificates.ReloadHooks.Systemd : Certificates.ReloadHooks.Certbot));
}
