using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using PostfixConfig.Apply;

namespace PostfixConfig.Cli.Commands;

/// <summary>
/// <c>apply CONFIG.yaml [--config-dir DIR] [--dry-run] [--no-reload]</c>: from YAML to a running
/// Postfix in one step: plan against the live config folder, stage, compile, check, move into place,
/// reload only on change.
/// </summary>
internal static class ApplyCommand
{
    /// <summary>Where certbot looks for deploy hooks.</summary>
    private const string CertbotDeployHooks = "/etc/letsencrypt/renewal-hooks/deploy";

    public static Command Create(CliIo io)
    {
        var config = CommonOptions.ConfigFile();
        var configDir = new Option<string>("--config-dir")
        {
            Description = "The Postfix config folder to apply to (main.cf, master.cf, maps).",
            HelpName = "DIR",
            DefaultValueFactory = _ => "/etc/postfix",
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the plan and change nothing." };
        var noReload = new Option<bool>("--no-reload") { Description = "Write and compile, but do not reload Postfix." };
        var format = CommonOptions.Format("Output format of the plan and result.");
        var reloadHook = new Option<string[]>("--reload-hook")
        {
            Description = "Also install the certbot deploy hook (rebuilds the SNI table with postmap -F and reloads Postfix after a renewal).",
        }.AcceptOnlyFromAmong("certbot");
        var hookDir = new Option<string>("--hook-dir")
        {
            Description = "Where --reload-hook certbot installs the hook (as 'postfix').",
            HelpName = "DIR",
            DefaultValueFactory = _ => CertbotDeployHooks,
        };
        var noCheckFiles = new Option<bool>("--no-check-files")
        {
            Description = "Do not check the key and certificate files first (they are checked by default, as with --check-files).",
        };
        var migrate = new Option<bool>("--migrate") { Description = "Also replace legacy TLS switches, as merge --migrate does." };
        var version = CommonOptions.PostfixVersion();
        var lockTimeout = CommonOptions.LockTimeout();
        var command = new Command("apply", "Apply a YAML configuration to a Postfix config folder: plan, stage, compile maps, check with Postfix, move into place together, reload only on change.")
        {
            config, configDir, dryRun, noReload, format, reloadHook, hookDir, noCheckFiles, migrate, version, lockTimeout,
        };
        command.SetAction(parse =>
        {
            var path = parse.GetRequiredValue(config);
            var json = parse.GetValue(format) == OutputFormat.Json;
            var dry = parse.GetValue(dryRun);
            var loaded = PostfixTls.LoadYamlFile(path);
            if (loaded.HasErrors)
            {
                DiagnosticPrinter.Print(loaded.Diagnostics, OutputFormat.Text, io.Error);
                PrintRefused(io.Out, loaded.Diagnostics, parse.GetRequiredValue(configDir), dry, json);
                return CliApp.Invalid;
            }

            var options = ApplyOptions.Default with
            {
                ConfigDirectory = parse.GetRequiredValue(configDir),
                Reload = !parse.GetValue(noReload),
                CheckFiles = !parse.GetValue(noCheckFiles),
                Migrate = parse.GetValue(migrate),
                LockTimeout = parse.GetValue(lockTimeout) ?? WriteOptions.Default.LockTimeout,
                LockWaiting = m => io.Error.WriteLine($"postfix-config: {m}"),
                CertbotHookDirectory = (parse.GetValue(reloadHook) ?? []).Length > 0 ? parse.GetRequiredValue(hookDir) : null,
                Validation = ValidationOptions.Default with { PostfixVersion = parse.GetValue(version) },
            };
            if (dry)
            {
                var planned = PostfixTls.PlanApply(loaded.Value, options);
                var all = loaded.Diagnostics.Concat(planned.Diagnostics);
                if (Refused(all, planned.HasErrors, path, io))
                {
                    PrintRefused(io.Out, all, options.ConfigDirectory, dry, json);
                    return CliApp.Invalid;
                }

                Print(io.Out, planned.Value!, result: null, all, json);
                return CliApp.Ok;
            }

            var applied = PostfixTls.Apply(loaded.Value, options);
            var diagnostics = loaded.Diagnostics.Concat(applied.Diagnostics);
            if (Refused(diagnostics, applied.HasErrors, path, io))
            {
                PrintRefused(io.Out, diagnostics, options.ConfigDirectory, dry, json);
                return CliApp.Invalid;
            }

            Print(io.Out, applied.Value!.Plan, applied.Value, diagnostics, json);
            return CliApp.Ok;
        });
        return command;
    }

    private static bool Refused(Diagnostics.DiagnosticList diagnostics, bool hasErrors, string path, CliIo io)
    {
        DiagnosticPrinter.Print(diagnostics, OutputFormat.Text, io.Error);
        if (hasErrors)
        {
            io.Error.WriteLine($"postfix-config: {path}: not applied; fix the errors above. Nothing was changed.");
        }

        return hasErrors;
    }

    /// <summary>With <c>--format json</c>, a refusal is an object too: nothing changed, and the diagnostics that say why.</summary>
    private static void PrintRefused(TextWriter o, Diagnostics.DiagnosticList diagnostics, string configDirectory, bool dryRun, bool json)
    {
        if (!json)
        {
            return;
        }

        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("config_directory", Path.GetFullPath(configDirectory));
            w.WriteBoolean("dry_run", dryRun);
            w.WriteBoolean("changed", false);
            WriteDiagnostics(w, diagnostics);
            w.WriteEndObject();
        }

        o.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    /// <summary>The diagnostics as <c>validate --format json</c> prints them, as the <c>diagnostics</c> property.</summary>
    private static void WriteDiagnostics(Utf8JsonWriter w, Diagnostics.DiagnosticList diagnostics)
    {
        using var array = JsonDocument.Parse(DiagnosticPrinter.ToJson(diagnostics));
        w.WritePropertyName("diagnostics");
        array.WriteTo(w);
    }

    private static void Print(TextWriter o, ApplyPlan plan, ApplyResult? result, Diagnostics.DiagnosticList diagnostics, bool json)
    {
        var dryRun = result is null;
        if (json)
        {
            o.WriteLine(Json(plan, result, diagnostics));
            return;
        }

        if (!plan.HasChanges)
        {
            o.WriteLine($"no change: {plan.ConfigDirectory} already holds this configuration; nothing written, compiled or reloaded.");
            return;
        }

        o.WriteLine($"{(dryRun ? "plan (dry run, nothing changed)" : "applied")}: {plan.ConfigDirectory} for Postfix {plan.Version}");
        foreach (var change in plan.Changes)
        {
            var file = change.File == RenderedFileKind.MasterCf ? "master.cf" : "main.cf";
            o.WriteLine($"  {file}: {Describe(change)}");
        }

        foreach (var file in plan.Files.Where(f => f.Action != FileAction.Unchanged))
        {
            o.WriteLine($"  {(file.Action == FileAction.Create ? "create" : "replace")} {file.Path}");
        }

        foreach (var c in plan.Compilations)
        {
            o.WriteLine($"  compile: {c.Command} ({c.Reason})");
        }

        var action = plan.Action switch
        {
            PostfixAction.Reload => "postfix reload",
            PostfixAction.Restart => "postfix stop; postfix start",
            _ => "nothing",
        };
        if (result is null)
        {
            o.WriteLine($"  then: {action} ({plan.ActionReason})");
        }
        else
        {
            o.WriteLine(result.Performed == PostfixAction.None && plan.Action != PostfixAction.None
                ? $"  then: Postfix is not running, so nothing was reloaded ({plan.ActionReason})"
                : $"  then: {(result.Performed == PostfixAction.None ? "nothing" : action + ", done")} ({plan.ActionReason})");
        }
    }

    private static string Describe(MainCf.MainCfChange change) => change.Kind switch
    {
        MainCf.MainCfChangeKind.Added => $"add {change.Name} = {change.NewValue}",
        MainCf.MainCfChangeKind.Replaced => $"change {change.Name} = {change.OldValue} -> {change.NewValue}",
        _ => $"comment out {change.Name} = {change.OldValue}",
    };

    private static string Json(ApplyPlan plan, ApplyResult? result, Diagnostics.DiagnosticList diagnostics)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("config_directory", plan.ConfigDirectory);
            w.WriteString("postfix_version", plan.Version.ToString());
            w.WriteBoolean("dry_run", result is null);
            w.WriteBoolean("changed", plan.HasChanges);
            w.WriteStartArray("changes");
            foreach (var c in plan.Changes)
            {
                w.WriteStartObject();
                w.WriteString("file", c.File == RenderedFileKind.MasterCf ? "master.cf" : "main.cf");
                w.WriteString("parameter", c.Name);
                w.WriteString("kind", c.Kind.ToString().ToLowerInvariant());
                w.NullableString("old_value", c.OldValue);
                w.NullableString("new_value", c.NewValue);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("files");
            foreach (var f in plan.Files)
            {
                w.WriteStartObject();
                w.WriteString("path", f.Path);
                w.WriteString("kind", f.Kind.ToString());
                w.WriteString("action", f.Action.ToString().ToLowerInvariant());
                if (f.Action != FileAction.Unchanged)
                {
                    // For a diff (Ansible's diff mode): the text before (empty for a new file; null when it cannot be read) and after.
                    w.NullableString("before", plan.PreviousText(f));
                    w.NullableString("after", plan.NewText(f));
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("compile");
            foreach (var c in plan.Compilations)
            {
                w.WriteStartObject();
                w.WriteString("command", c.Command);
                w.WriteString("type", c.Type);
                w.WriteString("path", c.Path);
                w.WriteBoolean("file_contents", c.FileContents);
                w.WriteString("reason", c.Reason);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteString("action", plan.Action.ToString().ToLowerInvariant());
            w.WriteString("reason", plan.ActionReason);
            w.NullableString("performed", result?.Performed.ToString().ToLowerInvariant());
            WriteDiagnostics(w, diagnostics);
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
