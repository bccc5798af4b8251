using PostfixConfig.IO;

namespace PostfixConfig.Apply;

/// <summary>
/// Carries out an apply plan safely: every file is written into a staging folder inside the config
/// folder, the maps are compiled there, the staged configuration is checked by Postfix
/// (<c>postconf -n</c> with no new warning, <c>postfix check</c>), and only then is everything moved
/// into place together (<see cref="AtomicFileWriter"/>) and a running Postfix reloaded. Any failure
/// before the move changes nothing; a failed reload puts the previous files back and reloads again.
/// </summary>
internal static class ApplyRunner
{
    /// <summary>The staging folder's name prefix (inside the config folder; removed afterwards, also a stale one).</summary>
    internal const string StagePrefix = ".postfix-config-stage.";

    /// <summary>Plans and runs under the folder's locks, with the files read by the plan stamped (see <see cref="PostfixTls.Apply"/>).</summary>
    public static Result<ApplyResult> Apply(TlsConfiguration config, ApplyOptions options)
    {
        var directory = Path.GetFullPath(options.ConfigDirectory);
        WriteLock held;
        try
        {
            if (!Directory.Exists(directory))
            {
                throw new DirectoryNotFoundException($"The config folder {directory} does not exist.");
            }

            held = WriteLock.Acquire(directory, WriteLock.EditLockedFiles, options.LockTimeout, options.LockWaiting);
        }
        catch (IOException e)
        {
            throw new ApplyException(ApplyStep.Plan, e.Message, inner: e);
        }

        using (held)
        {
            var stamps = new Dictionary<string, FileStamp>(StringComparer.Ordinal);
            foreach (var name in WriteLock.EditLockedFiles)
            {
                stamps[name] = FileStamp.Of(Path.Combine(held.Directory, name));
            }

            TestHooks.Pause("read");
            var plan = ApplyPlanner.Plan(config, options);
            if (plan.HasErrors)
            {
                return new Result<ApplyResult>(null, plan.Diagnostics);
            }

            foreach (var file in plan.Value.Files.Where(f => InConfigDirectory(plan.Value, f.Path)))
            {
                stamps.TryAdd(Path.GetFileName(file.Path), FileStamp.Of(file.Path));
            }

            return new Result<ApplyResult>(Run(plan.Value, options, new AtomicFileWriter.Guard(held, stamps)), plan.Diagnostics);
        }
    }

    public static ApplyResult Run(ApplyPlan plan, ApplyOptions options, AtomicFileWriter.Guard guard)
    {
        var commands = new List<CommandResult>();
        if (!plan.HasChanges)
        {
            return new ApplyResult(plan, PostfixAction.None, [.. commands]);
        }

        var directory = plan.ConfigDirectory;
        RemoveStaleStages(directory);
        var stage = Path.Combine(directory, StagePrefix + Guid.NewGuid().ToString("N"));
        try
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(stage);
            }
            else
            {
                Directory.CreateDirectory(stage, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ApplyException(ApplyStep.Stage, $"Cannot create a staging folder in {directory}: {e.Message} Nothing was changed.", inner: e);
        }

        try
        {
            Stage(plan, stage);
            var known = KnownWarnings(plan, options, commands);
            Compile(plan, options, stage, known, commands);
            Check(plan, options, stage, known, commands);
            var moves = Moves(plan, stage);
            var previous = Path.Combine(stage, "previous");
            var replaced = KeepPrevious(plan, moves, previous);
            Commit(plan, moves, guard);
            var performed = Reload(plan, options, commands, moves, previous, replaced, guard);
            InstallHook(plan);
            return new ApplyResult(plan, performed, [.. commands]);
        }
        finally
        {
            TryDelete(stage);
        }
    }

    /// <summary>Writes every file of the config folder into the staging folder: the new ones, and copies of the others (the checks need a whole configuration).</summary>
    private static void Stage(ApplyPlan plan, string stage)
    {
        try
        {
            // The staged folder must be a complete configuration for the checks: what does not change is copied.
            foreach (var file in plan.Files.Where(f => InConfigDirectory(plan, f.Path)))
            {
                var target = Path.Combine(stage, Path.GetFileName(file.Path));
                if (file.Action == FileAction.Unchanged)
                {
                    File.Copy(file.Path, target);
                    File.SetLastWriteTimeUtc(target, File.GetLastWriteTimeUtc(file.Path));
                    continue;
                }

                var content = plan.Contents.Single(c => c.File == file).Content;
                using var writer = new StreamWriter(target, append: false, new System.Text.UTF8Encoding(false)) { NewLine = "\n" };
                content.WriteTo(writer);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ApplyException(ApplyStep.Stage, $"Cannot stage the new files in {stage}: {e.Message} Nothing was changed.", inner: e);
        }
    }

    /// <summary>Compiles the maps in the staging folder; the databases join the files moved into place.</summary>
    private static void Compile(ApplyPlan plan, ApplyOptions options, string stage, HashSet<string> known, List<CommandResult> commands)
    {
        foreach (var compilation in plan.Compilations)
        {
            var source = Path.Combine(stage, Path.GetFileName(compilation.Path));
            var r = options.Commands.Postmap(stage, compilation.Type, source, compilation.FileContents);
            commands.Add(r);
            // Warnings about main.cf itself (postmap reads it too) are judged by the postconf -n check below.
            if (!r.Succeeded || NewWarnings(r, stage, plan.ConfigDirectory, known).Any(w => !w.Contains("/main.cf, line ", StringComparison.Ordinal)))
            {
                throw new ApplyException(ApplyStep.Compile,
                    $"{compilation.Command} failed{(r.Succeeded ? " with warnings" : $" (exit code {r.ExitCode})")}: {Shown(r, stage, plan.ConfigDirectory)} Nothing was changed.", r);
            }
        }
    }

    /// <summary>
    /// Postfix's own judgement of the staged folder: <c>postconf -n</c> must read it without a warning
    /// that the live folder does not already have, and <c>postfix check</c> must pass.
    /// </summary>
    private static void Check(ApplyPlan plan, ApplyOptions options, string stage, HashSet<string> known, List<CommandResult> commands)
    {
        var staged = options.Commands.Postconf(stage);
        commands.Add(staged);
        if (!staged.Succeeded)
        {
            throw new ApplyException(ApplyStep.Check, $"postconf -n refuses the new configuration (exit code {staged.ExitCode}): {Shown(staged, stage, plan.ConfigDirectory)} Nothing was changed.", staged);
        }

        var added = NewWarnings(staged, stage, plan.ConfigDirectory, known);
        if (added.Count > 0)
        {
            throw new ApplyException(ApplyStep.Check, $"postconf -n warns about the new configuration: {string.Join(" ", added)} Nothing was changed.", staged);
        }

        var check = options.Commands.Check(stage);
        commands.Add(check);
        if (!check.Succeeded)
        {
            throw new ApplyException(ApplyStep.Check, $"postfix check refuses the new configuration (exit code {check.ExitCode}): {Shown(check, stage, plan.ConfigDirectory)} Nothing was changed.", check);
        }
    }

    /// <summary>The warnings Postfix already gives about the live configuration (<c>postconf -n</c>): an apply does not fail on what was there before.</summary>
    private static HashSet<string> KnownWarnings(ApplyPlan plan, ApplyOptions options, List<CommandResult> commands)
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        if (File.Exists(Path.Combine(plan.ConfigDirectory, "main.cf")))
        {
            var live = options.Commands.Postconf(plan.ConfigDirectory);
            commands.Add(live);
            known.UnionWith(Lines(live.ErrorOutput).Select(Warning));
        }

        return known;
    }

    /// <summary>The warnings of <paramref name="r"/> (about the staged folder, shown as the config folder) that are not <paramref name="known"/>.</summary>
    private static List<string> NewWarnings(CommandResult r, string stage, string directory, HashSet<string> known) =>
        [.. Lines(r.ErrorOutput.Replace(stage, directory, StringComparison.Ordinal)).Where(l => !known.Contains(Warning(l))).Distinct(StringComparer.Ordinal)];

    /// <summary>A warning without the program that printed it (<c>postmap: warning: X</c> and <c>/usr/sbin/postconf: warning: X</c> are the same X).</summary>
    private static string Warning(string line)
    {
        var at = line.IndexOf(": warning: ", StringComparison.Ordinal);
        return at < 0 ? line : line[(at + 2)..];
    }

    /// <summary>Copies of the files about to be replaced (for putting them back when the reload fails); returns the names of those that existed.</summary>
    private static List<string> KeepPrevious(ApplyPlan plan, List<(string FileName, string StagedPath, UnixFileMode? Mode)> moves, string previous)
    {
        Directory.CreateDirectory(previous);
        var kept = new List<string>();
        foreach (var (name, _, _) in moves)
        {
            var path = Path.Combine(plan.ConfigDirectory, name);
            if (File.Exists(path))
            {
                File.Copy(path, Path.Combine(previous, name));
                File.SetLastWriteTimeUtc(Path.Combine(previous, name), File.GetLastWriteTimeUtc(path));
                kept.Add(name);
            }
        }

        return kept;
    }

    /// <summary>What moves into the config folder: the changed files and the compiled databases, by name, with their staged paths.</summary>
    private static List<(string FileName, string StagedPath, UnixFileMode? Mode)> Moves(ApplyPlan plan, string stage)
    {
        var moves = plan.Contents.Where(c => InConfigDirectory(plan, c.File.Path))
            .Select(c => (Path.GetFileName(c.File.Path), Path.Combine(stage, Path.GetFileName(c.File.Path)), (UnixFileMode?)null)).ToList();
        foreach (var compilation in plan.Compilations)
        {
            foreach (var suffix in Catalog.MapTypes.Indexed[compilation.Type])
            {
                // An SNI table built with -F holds the private keys: readable by root only (Postfix opens it before dropping privileges).
                var name = Path.GetFileName(compilation.Path) + suffix;
                moves.Add((name, Path.Combine(stage, name), compilation.FileContents ? UnixFileMode.UserRead | UnixFileMode.UserWrite : null));
            }
        }

        return moves;
    }

    /// <summary>Moves the staged files and databases into the config folder, all or nothing.</summary>
    private static void Commit(ApplyPlan plan, List<(string FileName, string StagedPath, UnixFileMode? Mode)> moves, AtomicFileWriter.Guard guard)
    {
        try
        {
            AtomicFileWriter.WriteStaged(plan.ConfigDirectory, moves, WriteOptions.Default, guard);
        }
        catch (TargetChangedException e)
        {
            throw new ApplyException(ApplyStep.Commit, $"{e.Message} Run apply again to apply the configuration to its new text.", inner: e);
        }
        catch (IOException e)
        {
            throw new ApplyException(ApplyStep.Commit, e.Message, inner: e);
        }
    }

    /// <summary>Reloads (or restarts) a running Postfix; when that fails, puts the previous files back and reloads again.</summary>
    private static PostfixAction Reload(ApplyPlan plan, ApplyOptions options, List<CommandResult> commands, List<(string FileName, string StagedPath, UnixFileMode? Mode)> moves, string previous, List<string> replaced, AtomicFileWriter.Guard guard)
    {
        if (plan.Action == PostfixAction.None || !options.Commands.IsRunning(plan.ConfigDirectory))
        {
            return PostfixAction.None;
        }

        var r = plan.Action == PostfixAction.Restart ? options.Commands.Restart(plan.ConfigDirectory) : options.Commands.Reload(plan.ConfigDirectory);
        commands.Add(r);
        if (r.Succeeded)
        {
            return plan.Action;
        }

        // Put back what was there (and remove what was not), then let Postfix read the old files again.
        var restore = replaced.Select(name => (name, Path.Combine(previous, name), (UnixFileMode?)null)).ToList();
        string outcome;
        try
        {
            AtomicFileWriter.WriteStaged(plan.ConfigDirectory, restore, WriteOptions.Default, guard with { Stamps = new Dictionary<string, FileStamp>() });
            foreach (var (name, _, _) in moves.Where(m => !replaced.Contains(m.FileName)))
            {
                File.Delete(Path.Combine(plan.ConfigDirectory, name));
            }

            var again = plan.Action == PostfixAction.Restart ? options.Commands.Restart(plan.ConfigDirectory) : options.Commands.Reload(plan.ConfigDirectory);
            commands.Add(again);
            outcome = again.Succeeded ? "The previous files were put back and Postfix reloaded them." : $"The previous files were put back, but {again.Command} failed too: {again.AllOutput}";
        }
        catch (IOException e)
        {
            outcome = $"Putting the previous files back failed ({e.Message}); they are in {previous}.";
        }

        throw new ApplyException(ApplyStep.Reload, $"{r.Command} failed (exit code {r.ExitCode}): {r.AllOutput} {outcome}", r);
    }

    /// <summary>Installs the certbot deploy hook, when the plan has one, into its own folder.</summary>
    private static void InstallHook(ApplyPlan plan)
    {
        foreach (var (file, content) in plan.Contents.Where(c => c.File.Kind == RenderedFileKind.Auxiliary))
        {
            try
            {
                var directory = Path.GetDirectoryName(file.Path)!;
                AtomicFileWriter.Write(directory, [(Path.GetFileName(file.Path), (Action<TextWriter>)content.WriteTo, true)], WriteOptions.Default);
            }
            catch (IOException e)
            {
                throw new ApplyException(ApplyStep.InstallHook, $"The configuration was applied, but the certbot hook could not be installed as {file.Path}: {e.Message}", inner: e);
            }
        }
    }

    private static bool InConfigDirectory(ApplyPlan plan, string path) =>
        string.Equals(Path.GetDirectoryName(path), plan.ConfigDirectory, StringComparison.Ordinal);

    /// <summary>A tool's output for a message, with the staging folder's paths shown as the config folder's.</summary>
    private static string Shown(CommandResult r, string stage, string directory)
    {
        // One line, each distinct line of the tool's output once (postfix check repeats its warnings for every command it runs).
        var lines = Lines(r.AllOutput.Replace(stage, directory, StringComparison.Ordinal)).Distinct(StringComparer.Ordinal);
        var text = string.Join(' ', lines);
        return text.Length == 0 ? "(no output)." : text.EndsWith('.') ? text : text + ".";
    }

    private static string[] Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Staging folders left by a run that was killed (a later run removes them).</summary>
    private static void RemoveStaleStages(string directory)
    {
        foreach (var stale in Directory.GetDirectories(directory, StagePrefix + "*"))
        {
            TryDelete(stale);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the next apply removes a stale staging folder.
        }
    }
}
