using System.CommandLine;
using PostfixConfig.MainCf;
using PostfixConfig.Merge;
using PostfixConfig.Text;

namespace PostfixConfig.Cli.Commands;

/// <summary>
/// <c>merge CONFIG.yaml --into MAIN_CF</c>: apply the YAML's settings to an existing main.cf in place
/// (as <c>postconf -e</c> edits) and write the policy map next to it, all or nothing.
/// </summary>
internal static class MergeCommand
{
    public static Command Create(CliIo io)
    {
        var config = CommonOptions.ConfigFile();
        var into = new Option<string>("--into")
        {
            Description = "The main.cf to edit in place; map files from the YAML are written next to it.",
            HelpName = "MAIN_CF",
            Required = true,
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "Write nothing; only report what would change." };
        var diff = new Option<bool>("--diff") { Description = "Print a unified diff of every file that changes." };
        var migrate = new Option<bool>("--migrate")
        {
            Description = "Also replace legacy TLS switches (smtpd_use_tls, smtp_enforce_tls, ...) by the security level they amount to, keeping the old lines as comments.",
        };
        var backup = new Option<bool>("--backup") { Description = "Keep the previous version of each replaced file as NAME.bak." };
        var version = CommonOptions.PostfixVersion();
        var lockTimeout = CommonOptions.LockTimeout();
        var command = new Command("merge", "Apply a YAML configuration to an existing main.cf in place, keeping every comment and unrelated line.")
        {
            config, into, dryRun, diff, migrate, backup, version, lockTimeout,
        };
        command.SetAction(parse =>
        {
            var yamlPath = parse.GetRequiredValue(config);
            var mainPath = parse.GetRequiredValue(into);
            var loaded = PostfixTls.LoadYamlFile(yamlPath);
            if (loaded.HasErrors)
            {
                DiagnosticPrinter.Print(loaded.Diagnostics, OutputFormat.Text, io.Error);
                return CliApp.Invalid;
            }

            var read = PostfixTls.ReadMainCfFile(mainPath);
            if (read.HasErrors)
            {
                DiagnosticPrinter.Print(read.Diagnostics, OutputFormat.Text, io.Error);
                io.Error.WriteLine($"postfix-config: {mainPath}: Postfix would refuse this file; fix it first. Nothing was written.");
                return CliApp.Invalid;
            }

            var options = MergeOptions.Default with
            {
                Migrate = parse.GetValue(migrate),
                Validation = ValidationOptions.Default with { PostfixVersion = parse.GetValue(version) },
            };
            MergedConfiguration result;
            IReadOnlyList<string>? written = null;
            var before = new Dictionary<string, string?>(StringComparer.Ordinal);
            if (parse.GetValue(dryRun))
            {
                var merged = PostfixTls.Merge(loaded.Value, read.Value, options);
                DiagnosticPrinter.Print(loaded.Diagnostics.Concat(merged.Diagnostics), OutputFormat.Text, io.Error);
                if (merged.Value is null)
                {
                    io.Error.WriteLine($"postfix-config: {mainPath}: not merged; fix the errors above. Nothing was written.");
                    return CliApp.Invalid;
                }

                result = merged.Value;
            }
            else
            {
                // The other files as they are now, for --diff (main.cf's own text comes with the result).
                if (parse.GetValue(diff) && PostfixTls.Merge(loaded.Value, read.Value, options).Value is { } preview)
                {
                    foreach (var file in preview.Files.Files.Where(f => f.Kind != RenderedFileKind.MainCf))
                    {
                        before[file.FileName] = preview.PreviousText(file);
                    }
                }

                // Under the folder's locks, against main.cf as it is at the moment of writing.
                var writeOptions = WriteOptions.Default with { Backup = parse.GetValue(backup), LockTimeout = parse.GetValue(lockTimeout) ?? WriteOptions.Default.LockTimeout, LockWaiting = m => io.Error.WriteLine($"postfix-config: {m}") };
                var merged = PostfixTls.MergeFile(loaded.Value, mainPath, options, writeOptions);
                DiagnosticPrinter.Print(loaded.Diagnostics.Concat(merged.Diagnostics), OutputFormat.Text, io.Error);
                if (merged.Value is null)
                {
                    io.Error.WriteLine($"postfix-config: {mainPath}: not merged; fix the errors above. Nothing was written.");
                    return CliApp.Invalid;
                }

                result = merged.Value.Merged;
                written = merged.Value.Written;
                if (merged.Value.Attempts > 1)
                {
                    io.Error.WriteLine($"postfix-config: {mainPath}: changed by another program while merging; merged again from its new text.");
                }
            }

            foreach (var change in result.Changes)
            {
                var file = change.File == RenderedFileKind.MasterCf ? "master.cf" : Path.GetFileName(mainPath);
                io.Error.WriteLine($"postfix-config: {file}: {Describe(change)}");
            }

            var changed = result.Files.Files;
            if (parse.GetValue(diff))
            {
                foreach (var file in changed)
                {
                    var target = file.Kind == RenderedFileKind.MainCf ? mainPath : Path.Combine(Path.GetDirectoryName(mainPath) ?? string.Empty, file.FileName);
                    var old = file.Kind == RenderedFileKind.MainCf ? result.Original.Text
                        : before.TryGetValue(file.FileName, out var kept) ? kept : result.PreviousText(file);
                    io.Out.Write(old is null ? $"postfix-config: {target}: not a regular file, or too large to show as a diff\n" : UnifiedDiff.Create(old, file.Content, target, target));
                }
            }

            if (changed.Length == 0)
            {
                io.Error.WriteLine($"postfix-config: {mainPath}: already up to date; nothing to write.");
                return CliApp.Ok;
            }

            if (written is null)
            {
                io.Error.WriteLine($"postfix-config: dry run: {string.Join(", ", changed.Select(f => f.FileName))} not written.");
                return CliApp.Ok;
            }

            foreach (var file in written)
            {
                io.Out.WriteLine(file);
            }

            return CliApp.Ok;
        });
        return command;
    }

    private static string Describe(MainCfChange change) => change.Kind switch
    {
        MainCfChangeKind.Added => $"added {change.Name} = {change.NewValue}",
        MainCfChangeKind.Replaced => $"changed {change.Name} = {change.OldValue} -> {change.NewValue}",
        _ => $"commented out {change.Name} = {change.OldValue}",
    };
}
