using System.Collections.Immutable;
using System.Globalization;
using PostfixConfig.Catalog;
using PostfixConfig.Certificates;
using PostfixConfig.Diagnostics;
using PostfixConfig.MainCf;
using PostfixConfig.Merge;
using PostfixConfig.Rendering;
using PostfixConfig.Text;

namespace PostfixConfig.Apply;

/// <summary>
/// Works out what an apply does, against the live config folder: main.cf and master.cf by the rules
/// of <c>merge</c>, the policy and SNI map sources, which maps to compile with which command and
/// why, the table types the installed Postfix must support, and whether Postfix is reloaded or
/// restarted. Reads, never writes.
/// </summary>
internal static class ApplyPlanner
{
    /// <summary>Settings a reload does not apply: postconf(5) says to stop and start Postfix after changing them.</summary>
    internal static readonly string[] RestartParameters = ["inet_interfaces", "inet_protocols"];

    /// <summary>The name of the certbot deploy hook once installed (certbot runs every executable file of its deploy folder).</summary>
    internal const string CertbotHookName = "postfix";

    public static Result<ApplyPlan> Plan(TlsConfiguration config, ApplyOptions options)
    {
        var directory = Path.GetFullPath(options.ConfigDirectory);
        if (!Directory.Exists(directory))
        {
            throw new ApplyException(ApplyStep.Plan, $"The config folder {directory} does not exist; create it (with a main.cf) or name another with --config-dir. Nothing was changed.");
        }

        var diagnostics = new List<Diagnostic>();
        var mainPath = Path.Combine(directory, "main.cf");
        var read = File.Exists(mainPath) ? PostfixTls.ReadMainCfFile(mainPath) : PostfixTls.ReadMainCf(string.Empty, mainPath);
        if (read.HasErrors)
        {
            diagnostics.AddRange(read.Diagnostics);
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.MainCfNotApplied, null,
                $"{mainPath}: Postfix would refuse this file; fix it first. Nothing was changed.", new SourceSpan(mainPath, 1, 1)));
            return Fail(diagnostics);
        }

        var validation = InstalledRelease.Choose(config, options, directory, diagnostics);
        var merged = MainCfMerger.Merge(config, read.Value, MergeOptions.Default with { Validation = validation, Migrate = options.Migrate });
        diagnostics.AddRange(merged.Diagnostics);
        if (merged.HasErrors)
        {
            return Fail(diagnostics);
        }

        var catalog = options.Validation.Catalog ?? ParameterCatalog.Default;
        var result = merged.Value;
        var release = result.Release!;
        var version = release.Version;
        var host = result.MainCf.ToConfiguration(release.Given) with { Sni = config.Sni, SourcePath = mainPath };
        if (options.CheckFiles)
        {
            var files = PostfixTls.CheckFiles(host, CertificateCheckOptions.Default with { ConfigDirectory = directory });
            diagnostics.AddRange(files.Select(d => d.Span is { } s && s.File != mainPath ? d : MainCfMerger.AtYaml(d, config)));
            if (files.HasErrors)
            {
                return Fail(diagnostics);
            }
        }

        // Every managed file: main.cf, master.cf and the maps always (compared with what is there), the hook when asked.
        var contents = new List<(PlannedFile, RenderedFile)>();
        var planned = new List<PlannedFile>();
        void Add(string path, RenderedFile content)
        {
            var action = !File.Exists(path) ? FileAction.Create : SameContent(path, content) ? FileAction.Unchanged : FileAction.Replace;
            var file = new PlannedFile(path, content.Kind, action);
            planned.Add(file);
            contents.Add((file, content));
        }

        foreach (var file in result.Files.Files)
        {
            if (file.Kind is RenderedFileKind.Map or RenderedFileKind.SniMap && !InConfigDirectory(file, directory, host, diagnostics))
            {
                continue;
            }

            Add(Path.Combine(directory, file.FileName), file);
        }

        if (diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            return Fail(diagnostics);
        }

        foreach (var name in new[] { "main.cf", "master.cf" })
        {
            var path = Path.Combine(directory, name);
            if (!planned.Any(p => p.Path == path) && File.Exists(path))
            {
                planned.Add(new PlannedFile(path, name == "main.cf" ? RenderedFileKind.MainCf : RenderedFileKind.MasterCf, FileAction.Unchanged));
            }
        }

        if (options.CertbotHookDirectory is { } hookDirectory)
        {
            var hooks = ConfigurationRenderer.RenderReloadHooks(host, release, ReloadHooks.Certbot, new TemplateSource(null), diagnostics, directory).ToList();
            if (hooks.Count == 0)
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.ReloadHookIncomplete, null,
                    "--reload-hook certbot: the configuration names no key or certificate file to watch, so there is no hook to install.", config.SourcePath is null ? null : new SourceSpan(config.SourcePath, 1, 1)));
                return Fail(diagnostics);
            }

            Add(Path.Combine(Path.GetFullPath(hookDirectory), CertbotHookName), hooks[0]);
        }

        var compilations = Compilations(contents, directory, host);
        if (planned.Any(p => p.Action != FileAction.Unchanged) || compilations.Count > 0)
        {
            // Only when something is written or compiled: a run with nothing to change reads and compares, no more.
            CheckMapTypes(result.MainCf, config, catalog, version, options.Commands, diagnostics);
            if (diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
            {
                return Fail(diagnostics);
            }
        }

        var (action, reason) = Decide(read.Value, result.MainCf, planned, compilations, options);
        var written = contents.Where(c => c.Item1.Action != FileAction.Unchanged).ToList();
        var previous = written.ToImmutableDictionary(c => c.Item1.Path, c => PreviousText(c.Item1, mainPath, read.Value), StringComparer.Ordinal);
        var plan = new ApplyPlan(directory, version, result.Changes, [.. planned], [.. compilations], action, reason, [.. written], previous);
        return new Result<ApplyPlan>(plan, DiagnosticList.Create(diagnostics));
    }

    /// <summary>Whether the file on disk already holds exactly <paramref name="content"/> (compared as bytes).</summary>
    private static bool SameContent(string path, RenderedFile content)
    {
        var info = new FileInfo(path);
        var expected = System.Text.Encoding.UTF8.GetBytes(content.Content);
        // Bounded, and never opening a FIFO or device (which reports a length of 0): the writer refuses those later.
        return info.Length == expected.Length && IO.BoundedFile.IsRegularFile(path)
            && IO.BoundedFile.ReadAllBytes(path, expected.Length, regularOnly: true).AsSpan().SequenceEqual(expected);
    }

    /// <summary>What a file the apply writes holds now, for a diff (see <see cref="ApplyPlan.PreviousText"/>).</summary>
    private static string? PreviousText(PlannedFile file, string mainPath, MainCfDocument mainCf)
    {
        if (file.Action == FileAction.Create)
        {
            return string.Empty;
        }

        if (string.Equals(file.Path, mainPath, StringComparison.Ordinal))
        {
            return mainCf.Text; // what the merge started from
        }

        try
        {
            return MainCfDocument.Decode(IO.BoundedFile.ReadAllBytes(file.Path, IO.InputLimits.PolicyMapBytes, regularOnly: true)).Text;
        }
        catch (Exception e) when (e is IO.InputTooLargeException or IO.NotRegularFileException)
        {
            return null;
        }
    }

    /// <summary>A map is written into the config folder: the path main.cf names for it must be there too.</summary>
    private static bool InConfigDirectory(RenderedFile map, string directory, TlsConfiguration host, List<Diagnostic> diagnostics)
    {
        var resolved = ResolvePath(map.MapPath!, directory);
        if (string.Equals(Path.GetDirectoryName(resolved), directory, StringComparison.Ordinal))
        {
            return true;
        }

        var parameter = map.Kind == RenderedFileKind.SniMap ? "tls_server_sni_maps" : "smtp_tls_policy_maps";
        diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.MapOutsideConfigDirectory, parameter,
            $"{parameter} names {map.MapType}:{map.MapPath}, but apply writes the table into {directory}; name it as {map.MapType}:${{config_directory}}/{map.FileName} "
            + $"(or {map.MapType}:{Path.Combine(directory, map.FileName)}) so that Postfix reads the table apply builds.",
            host.Main.NameSpan(parameter) ?? host.Main[parameter].Span));
        return false;
    }

    /// <summary>A map path with <c>$config_directory</c> resolved to the folder apply works on.</summary>
    internal static string ResolvePath(string path, string directory) =>
        path.Replace("${config_directory}", directory, StringComparison.Ordinal)
            .Replace("$(config_directory)", directory, StringComparison.Ordinal)
            .Replace("$config_directory", directory, StringComparison.Ordinal);

    /// <summary>
    /// The maps to compile: when the source changes, when a database file is missing or older than
    /// the source, and for the SNI table also when a key or certificate file it names is newer than
    /// the database (a renewal).
    /// </summary>
    private static List<PlannedCompilation> Compilations(List<(PlannedFile File, RenderedFile Content)> contents, string directory, TlsConfiguration host)
    {
        var result = new List<PlannedCompilation>();
        foreach (var (file, content) in contents)
        {
            if (content.Kind is not (RenderedFileKind.Map or RenderedFileKind.SniMap) || !MapTypes.Indexed.TryGetValue(content.MapType!, out var suffixes))
            {
                continue; // texthash: Postfix reads the source itself
            }

            var source = file.Path;
            var databases = suffixes.Select(s => source + s).ToList();
            string? reason = null;
            if (file.Action != FileAction.Unchanged)
            {
                reason = file.Action == FileAction.Create ? "the source is new" : "the source changes";
            }
            else if (databases.FirstOrDefault(d => !File.Exists(d)) is { } missing)
            {
                reason = $"{Path.GetFileName(missing)} is missing";
            }
            else if (databases.FirstOrDefault(d => File.GetLastWriteTimeUtc(d) < File.GetLastWriteTimeUtc(source)) is { } stale)
            {
                reason = $"{Path.GetFileName(stale)} is older than its source";
            }
            else if (content.Kind == RenderedFileKind.SniMap)
            {
                var built = databases.Min(File.GetLastWriteTimeUtc);
                var newer = host.Sni.SelectMany(e => e.Files).Distinct(StringComparer.Ordinal)
                    .FirstOrDefault(f => File.Exists(f) && File.GetLastWriteTimeUtc(f) > built);
                if (newer is not null)
                {
                    reason = $"{newer} is newer than the table (a renewed certificate?)";
                }
            }

            if (reason is not null)
            {
                result.Add(new PlannedCompilation(content.MapType!, ResolvePath(content.MapPath!, directory), content.Kind == RenderedFileKind.SniMap, reason));
            }
        }

        return result;
    }

    /// <summary>
    /// Every table type that the new main.cf names in a map parameter (and so every map apply
    /// compiles) must be one the installed Postfix supports (<c>postconf -m</c>), or Postfix would
    /// fail to open it; checked before anything is touched.
    /// </summary>
    private static void CheckMapTypes(MainCfDocument mainCf, TlsConfiguration config, ParameterCatalog catalog, PostfixVersion version, IPostfixCommands commands, List<Diagnostic> diagnostics)
    {
        var used = new List<(string Parameter, string Type)>();
        foreach (var (name, value) in mainCf.Values)
        {
            if (catalog.Find(name) is not { Kind: ParameterKind.MapReference or ParameterKind.MapList })
            {
                continue;
            }

            foreach (var item in PostfixText.SplitList(value))
            {
                // proxy:hash:/path names two types; $name references and inline:{...} bodies are skipped.
                var rest = item;
                while (rest.IndexOf(':', StringComparison.Ordinal) is var colon and > 0 && !rest.StartsWith('$') && !rest.StartsWith('{'))
                {
                    var type = rest[..colon];
                    if (!type.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
                    {
                        break;
                    }

                    used.Add((name, type));
                    rest = rest[(colon + 1)..];
                    if (type is "inline" or "static" or "regexp" or "pcre" or "cidr" or "texthash" or "unionmap" or "pipemap")
                    {
                        break;
                    }
                }
            }
        }

        if (used.Count == 0)
        {
            return;
        }

        var supported = commands.MapTypes();
        foreach (var (parameter, type) in used.Distinct())
        {
            if (supported.Contains(type))
            {
                continue;
            }

            var span = config.Main.TryGetValue(parameter, out var fromYaml) ? fromYaml.Span ?? config.Main.NameSpan(parameter) : mainCf.Find(parameter)?.ValueSpan;
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.MapTypeNotInstalled, parameter,
                string.Create(CultureInfo.InvariantCulture,
                    $"{parameter} uses table type {type}:, which the installed Postfix does not support (postconf -m lists {string.Join(", ", supported.Order(StringComparer.Ordinal))}); Postfix would fail to open the table. "
                    + $"Install the package that adds it (on Debian postfix-{type}, where there is one) or use a type it has, such as hash: or lmdb:."),
                span));
        }
    }

    /// <summary>Reload when anything changes, restart when a setting that needs it changes, nothing otherwise.</summary>
    private static (PostfixAction, string) Decide(MainCfDocument before, MainCfDocument after, List<PlannedFile> files, List<PlannedCompilation> compilations, ApplyOptions options)
    {
        var written = files.Where(f => f.Action != FileAction.Unchanged && f.Kind != RenderedFileKind.Auxiliary).Select(f => Path.GetFileName(f.Path)).ToList();
        var compiled = compilations.Select(c => Path.GetFileName(c.Path)).Where(n => !written.Contains(n)).ToList();
        var changed = written.Concat(compiled).ToList();
        if (changed.Count == 0)
        {
            return (PostfixAction.None, files.Any(f => f.Action != FileAction.Unchanged) ? "only the certbot hook changes" : "no change");
        }

        if (!options.Reload)
        {
            return (PostfixAction.None, $"{Changed(written, compiled)}, but reloading is turned off (--no-reload): Postfix keeps using the old settings until it is reloaded");
        }

        var restart = RestartParameters.Where(p => before.Values.GetValueOrDefault(p) != after.Values.GetValueOrDefault(p)).ToList();
        return restart.Count > 0
            ? (PostfixAction.Restart, $"{string.Join(" and ", restart)} change, which Postfix applies only when it is stopped and started")
            : (PostfixAction.Reload, Changed(written, compiled));
    }

    private static string Changed(List<string> written, List<string> compiled) =>
        string.Join("; ", new[]
        {
            written.Count == 0 ? null : $"{string.Join(", ", written)} {(written.Count == 1 ? "changes" : "change")}",
            compiled.Count == 0 ? null : $"{string.Join(", ", compiled)} {(compiled.Count == 1 ? "is" : "are")} rebuilt",
        }.Where(p => p is not null));

    private static Result<ApplyPlan> Fail(List<Diagnostic> diagnostics) => new(null, DiagnosticList.Create(diagnostics));
}
