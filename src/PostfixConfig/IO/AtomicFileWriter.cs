using System.Text;
using PostfixConfig.Text;

namespace PostfixConfig.IO;

/// <summary>
/// Writes a set of files into one folder, all or nothing.
/// </summary>
/// <remarks>
/// <para>
/// The steps: (1) check every name and every existing file first, and refuse symbolic links and
/// anything that is not a regular file; (2) write each file to a new temporary file next to its
/// target (<c>.NAME.RANDOM.tmp</c>), flush it to disk and give it its final mode and owner; (3) keep
/// the previous version of each file under a second name (a hard link, or a copy where links are
/// not possible); (4) rename the temporary files over the targets, one by one. A failure in (1)-(3)
/// changes nothing; a failure in (4) renames the kept versions back, so the folder is as it was.
/// Temporary files are removed on every path. With <see cref="WriteOptions.Backup"/> the kept
/// version becomes <c>NAME.bak</c>.
/// </para>
/// <para>
/// New files get mode 0644 (whatever the umask); a replaced file keeps its mode, owner and group.
/// Renames are atomic, so a reader (Postfix) sees the old or the new file, never part of one. A crash
/// of the machine during (4) can leave some files new and some old; each file is whole either way.
/// </para>
/// </remarks>
internal static class AtomicFileWriter
{
    private const UnixFileMode NewFileMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Writes the files; returns their paths (the folder as given, joined with each name).</summary>
    /// <exception cref="OutputException">Nothing was changed (or, if the message says so, what could not be put back).</exception>
    public static IReadOnlyList<string> Write(string directory, IEnumerable<(string FileName, Action<TextWriter> Write)> files, WriteOptions options)
    {
        ArgumentNullException.ThrowIfNull(files);
        return Write(directory, files.Select(f => (f.FileName, f.Write, false)), options);
    }

    /// <summary>
    /// What a write that read its targets first (a merge) passes in: the locks it has held since it
    /// read them, and the stamps of what it read, by file name. Each stamped target must still be that
    /// file just before the renames, or the write stops with <see cref="TargetChangedException"/>.
    /// </summary>
    internal sealed record Guard(WriteLock Lock, IReadOnlyDictionary<string, FileStamp> Stamps);

    /// <summary>
    /// Writes the files; an executable file (a reload hook script) is created with mode 0755, or gets
    /// the execute bits added to the mode it keeps, before it is renamed into place.
    /// </summary>
    public static IReadOnlyList<string> Write(string directory, IEnumerable<(string FileName, Action<TextWriter> Write, bool Executable)> files, WriteOptions options, Guard? guard = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        return Write(directory, files.Select(f => (f.FileName, f.Write, f.Executable, (string?)null)).ToList(), options, guard);
    }

    /// <summary>
    /// Moves files that are already complete (written, and compiled maps built, in a staging folder
    /// on the same file system) into <paramref name="directory"/>, all or nothing, as
    /// <see cref="Write(string, IEnumerable{ValueTuple{string, Action{TextWriter}, bool}}, WriteOptions, Guard)"/>
    /// does; each staged file is renamed, so it keeps its modification time (a compiled database stays
    /// newer than its source).
    /// </summary>
    /// <remarks>A <c>Mode</c> given for a file replaces the mode it would get (the SNI table's database, which holds private keys, gets 0600).</remarks>
    public static IReadOnlyList<string> WriteStaged(string directory, IEnumerable<(string FileName, string StagedPath, UnixFileMode? Mode)> files, WriteOptions options, Guard? guard = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        var list = files.ToList();
        return Write(directory, list.Select(f => (f.FileName, (Action<TextWriter>)(_ => { }), false, (string?)f.StagedPath)).ToList(), options, guard,
            list.Select(f => f.Mode).ToList());
    }

    private static IReadOnlyList<string> Write(string directory, List<(string FileName, Action<TextWriter> Write, bool Executable, string? Staged)> list, WriteOptions options, Guard? guard, List<UnixFileMode?>? modes = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(options);
        CheckNames([.. list.Select(f => f.FileName)], options);
        var created = !Directory.Exists(directory);
        var root = PrepareFolder(directory);
        var names = list.Select(f => f.FileName).ToList();
        WriteLock? acquired = null;
        if (guard is null)
        {
            try
            {
                acquired = WriteLock.Acquire(root, names, options.LockTimeout, options.LockWaiting);
            }
            catch
            {
                RemoveCreatedFolder(created ? root : null);
                throw;
            }
        }
        else if (names.FirstOrDefault(n => !guard.Lock.Covers(root, n)) is { } uncovered)
        {
            throw new InvalidOperationException($"The lock held does not cover {uncovered} in {directory}.");
        }

        try
        {
            return WriteLocked(directory, root, list, options, guard, modes);
        }
        catch
        {
            // The locks go first (their files with them), so that a folder this write created is empty again.
            acquired?.Dispose();
            acquired = null;
            RemoveCreatedFolder(created ? root : null);
            throw;
        }
        finally
        {
            acquired?.Dispose();
        }
    }

    private static IReadOnlyList<string> WriteLocked(string directory, string root, List<(string FileName, Action<TextWriter> Write, bool Executable, string? Staged)> list, WriteOptions options, Guard? guard, List<UnixFileMode?>? modes)
    {
        RemoveStale(root);
        List<FilePlan> plans = [];
        var current = directory;
        try
        {
            plans = [.. list.Select(f => Plan(root, directory, f.FileName, f.Write, options, f.Executable))];
            for (var i = 0; i < plans.Count; i++)
            {
                plans[i].Staged = list[i].Staged;
                if (modes?[i] is { } mode)
                {
                    plans[i].Mode = mode;
                }
            }

            foreach (var plan in plans)
            {
                current = plan.Reported;
                WriteTemporary(plan);
                TestHooks.WriteFault.Value?.Invoke(TestHooks.WriteStage.Staged, plan.Name);
            }

            foreach (var plan in plans)
            {
                current = plan.Reported;
                KeepPrevious(plan);
                TestHooks.Pause("kept:" + plan.Name);
            }

            if (guard is not null)
            {
                CheckUnchanged(plans, guard.Stamps);
            }

            TestHooks.Pause("checked");
            Commit(plans);
        }
        catch (TargetChangedException)
        {
            Cleanup(plans);
            throw;
        }
        catch (OutputException)
        {
            Cleanup(plans);
            throw;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DecoderFallbackException or EncoderFallbackException)
        {
            Cleanup(plans);
            throw new OutputException($"Cannot write {current}: {Describe(e)} Nothing was changed.", e);
        }
        catch
        {
            Cleanup(plans);
            throw;
        }

        foreach (var folder in plans.Select(p => Path.GetDirectoryName(p.Target)!).Distinct(StringComparer.Ordinal))
        {
            UnixFile.SyncDirectory(folder);
        }

        TestHooks.Pause("folder-synced");
        KeepOrDropPrevious(plans, options);
        TestHooks.Pause("done");
        return [.. plans.Select(p => p.Reported)];
    }

    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");

    /// <summary>Whether <paramref name="name"/> is one of this writer's temporary files or second names: <c>.NAME.HEX32.tmp</c>, <c>.NAME.HEX32.old</c>.</summary>
    internal static bool IsStaleName(string name)
    {
        const int Hex = 32;
        if (name.Length < 1 + 1 + 1 + Hex + 4 || name[0] != '.' || !(name.EndsWith(".tmp", StringComparison.Ordinal) || name.EndsWith(".old", StringComparison.Ordinal)))
        {
            return false;
        }

        var hex = name.AsSpan(name.Length - 4 - Hex, Hex);
        return name[name.Length - 4 - Hex - 1] == '.' && !hex.ContainsAnyExcept(LowerHex);
    }

    /// <summary>
    /// Removes what a run that was killed left behind (its temporary files and second names); called
    /// under the folder lock, so no live run's files are among them. The targets themselves are whole
    /// either way: each is the old or the new file.
    /// </summary>
    private static void RemoveStale(string root)
    {
        try
        {
            foreach (var path in Directory.EnumerateFiles(root, ".*"))
            {
                if (IsStaleName(Path.GetFileName(path)) && UnixFile.IsRegularFile(path))
                {
                    File.Delete(path);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // best effort: a leftover is only untidy; the next run tries again
        }
    }

    /// <summary>Each target that was read is still that file (else nothing is renamed).</summary>
    private static void CheckUnchanged(List<FilePlan> plans, IReadOnlyDictionary<string, FileStamp> stamps)
    {
        foreach (var plan in plans)
        {
            if (stamps.TryGetValue(plan.Name, out var expected) && FileStamp.Of(plan.Target) != expected)
            {
                var message = $"{plan.Reported} was changed by another program after it was read; nothing was changed.";
                throw new TargetChangedException(message) { Path = plan.Reported };
            }
        }
    }

    /// <summary>One file's journey.</summary>
    private sealed class FilePlan(string name, string target, string reported, Action<TextWriter> write)
    {
        /// <summary>A complete file to move into place instead of writing (see <see cref="WriteStaged"/>).</summary>
        public string? Staged { get; set; }

        public string Name { get; } = name;

        /// <summary>The path replaced: the name in the folder, or where a followed link leads.</summary>
        public string Target { get; } = target;

        /// <summary>The path returned to the caller and used in messages.</summary>
        public string Reported { get; } = reported;

        public Action<TextWriter> Write { get; } = write;

        public bool Exists { get; init; }

        public UnixFileMode Mode { get; set; } = NewFileMode;

        public (uint Uid, uint Gid)? Owner { get; init; }

        public string? Temp { get; set; }

        /// <summary>Another name of the previous version while the write is under way.</summary>
        public string? Kept { get; set; }

        public bool Replaced { get; set; }
    }

    private static void CheckNames(List<string> names, WriteOptions options)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (name.Length == 0 || name is "." or ".." || name.IndexOfAny(['/', '\\']) >= 0 || name.Any(char.IsControl))
            {
                throw new OutputException(
                    $"Refusing to write '{PostfixText.Printable(name)}': an output file must be a plain name inside the output folder. Nothing was changed.");
            }

            if (!seen.Add(name))
            {
                throw new OutputException($"Refusing to write: two output files are both named '{name}'. Nothing was changed.");
            }
        }

        if (options.Backup && names.FirstOrDefault(n => seen.Contains(n + ".bak")) is { } clash)
        {
            throw new OutputException($"Refusing to write: '{clash}.bak' is both an output file and the backup of '{clash}'. Nothing was changed.");
        }
    }

    private static string PrepareFolder(string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);

            // The folder the user named may itself be (or lie below) a symbolic link: that is their choice.
            return SafePaths.RealPath(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputException($"Cannot create the output folder {directory}: {Describe(e)} Nothing was changed.", e);
        }
    }

    private const UnixFileMode ExecuteBits = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private static FilePlan Plan(string root, string directory, string name, Action<TextWriter> write, WriteOptions options, bool executable)
    {
        var reported = Path.Combine(directory, name);
        try
        {
            var path = Path.Join(root, name);
            var target = path;
            if (SafePaths.IsSymbolicLink(path))
            {
                var link = new FileInfo(path).LinkTarget;
                if (!options.FollowSymlinks)
                {
                    throw new OutputException(
                        $"{reported} is a symbolic link (to {link}); refusing to write through it. Remove the link, or allow links that stay inside the output folder (--follow-symlinks). Nothing was changed.");
                }

                target = SafePaths.RealPath(path);
                if (!SafePaths.IsInside(target, root) || target == root)
                {
                    throw new OutputException(
                        $"{reported} is a symbolic link to {target}, outside the output folder; refusing to write there. Nothing was changed.");
                }
            }

            if (Directory.Exists(target))
            {
                throw new OutputException($"{reported} is a folder; remove it or choose another output folder. Nothing was changed.");
            }

            if (options.Backup && Directory.Exists(target + ".bak"))
            {
                throw new OutputException($"{reported}.bak is a folder, so the previous version cannot be kept there. Nothing was changed.");
            }

            if (!File.Exists(target) && !SafePaths.IsSymbolicLink(target))
            {
                if (!Directory.Exists(Path.GetDirectoryName(target)))
                {
                    throw new OutputException($"{reported} is a symbolic link into a folder that does not exist ({target}). Nothing was changed.");
                }

                return new FilePlan(name, target, reported, write) { Mode = executable ? NewFileMode | ExecuteBits : NewFileMode };
            }

            if (!UnixFile.IsRegularFile(target))
            {
                throw new OutputException($"{reported} exists but is not a regular file; remove it or choose another output folder. Nothing was changed.");
            }

            return new FilePlan(name, target, reported, write)
            {
                Exists = true,
                Mode = (OperatingSystem.IsWindows() ? NewFileMode : File.GetUnixFileMode(target)) | (executable ? ExecuteBits : 0),
                Owner = UnixFile.Owner(target),
            };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && e is not OutputException)
        {
            throw new OutputException($"Cannot write {reported}: {Describe(e)} Nothing was changed.", e);
        }
    }

    /// <summary>Writes the temporary file, flushes it to disk, and sets its owner and mode.</summary>
    private static void WriteTemporary(FilePlan plan)
    {
        plan.Temp = Path.Join(Path.GetDirectoryName(plan.Target)!, $".{plan.Name}.{Guid.NewGuid():N}.tmp");
        if (plan.Staged is { } staged)
        {
            File.Move(staged, plan.Temp, overwrite: false);
            TestHooks.Pause("written:" + plan.Name);
            using var handle = File.OpenHandle(plan.Temp, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            RandomAccess.FlushToDisk(handle);
            TestHooks.Pause("synced:" + plan.Name);
            if (!OperatingSystem.IsWindows())
            {
                if (plan.Owner is { } owner && UnixFile.Owner(plan.Temp) != owner)
                {
                    UnixFile.SetOwner(handle, plan.Reported, owner.Uid, owner.Gid);
                }

                File.SetUnixFileMode(handle, plan.Mode);
            }

            return;
        }

        var fileOptions = new FileStreamOptions
        {
            Mode = FileMode.CreateNew, // O_EXCL: never opens an existing file, nor follows a link
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = 1 << 16,
        };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(plan.Temp, fileOptions);
        using (var writer = new StreamWriter(stream, Utf8, 1 << 16, leaveOpen: true) { NewLine = "\n" })
        {
            plan.Write(writer);
        }

        stream.Flush(flushToDisk: false);
        TestHooks.Pause("written:" + plan.Name);
        stream.Flush(flushToDisk: true);
        TestHooks.Pause("synced:" + plan.Name);
        if (!OperatingSystem.IsWindows())
        {
            if (plan.Owner is { } owner && UnixFile.Owner(plan.Temp) != owner)
            {
                UnixFile.SetOwner(stream.SafeFileHandle, plan.Reported, owner.Uid, owner.Gid);
            }

            // After chown, which may clear set-id bits; the umask does not apply to an explicit mode.
            File.SetUnixFileMode(stream.SafeFileHandle, plan.Mode);
        }
    }

    /// <summary>Gives the previous version a second name, so that it can be put back (or kept as NAME.bak).</summary>
    private static void KeepPrevious(FilePlan plan)
    {
        if (!plan.Exists)
        {
            return;
        }

        var kept = Path.Join(Path.GetDirectoryName(plan.Target)!, $".{plan.Name}.{Guid.NewGuid():N}.old");
        if (!UnixFile.TryLink(plan.Target, kept))
        {
            File.Copy(plan.Target, kept, overwrite: false);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(kept, plan.Mode);
            }
        }

        plan.Kept = kept;
    }

    private static void Commit(List<FilePlan> plans)
    {
        try
        {
            foreach (var plan in plans)
            {
                TestHooks.WriteFault.Value?.Invoke(TestHooks.WriteStage.Replacing, plan.Name);
                File.Move(plan.Temp!, plan.Target, overwrite: true);
                plan.Temp = null;
                plan.Replaced = true;
                TestHooks.Pause("renamed:" + plan.Name);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var failed = plans.First(p => !p.Replaced).Reported;
            var lost = RollBack(plans);
            throw new OutputException(
                lost.Count == 0
                    ? $"Cannot replace {failed}: {Describe(e)} The files already replaced were put back; nothing was changed."
                    : $"Cannot replace {failed}: {Describe(e)} Could not put back {string.Join(", ", lost)}.",
                e);
        }

    }

    /// <summary>After the commit: the second names of the previous versions become NAME.bak, or go.</summary>
    private static void KeepOrDropPrevious(List<FilePlan> plans, WriteOptions options)
    {
        foreach (var plan in plans)
        {
            if (plan.Kept is not { } kept)
            {
                continue;
            }

            try
            {
                if (options.Backup)
                {
                    // rename(2) replaces a NAME.bak that is a symbolic link; it never writes through it.
                    File.Move(kept, plan.Target + ".bak", overwrite: true);
                }
                else
                {
                    File.Delete(kept);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new OutputException(
                    options.Backup
                        ? $"The files were written, but the previous version of {plan.Reported} could not be kept as {plan.Reported}.bak ({Describe(e)}); it is in {kept}."
                        : $"The files were written, but a temporary second name of the previous {plan.Reported} could not be removed ({Describe(e)}): {kept}.",
                    e);
            }
        }
    }

    /// <summary>Puts the previous versions back; returns what could not be put back, with where its previous content is.</summary>
    private static List<string> RollBack(List<FilePlan> plans)
    {
        var lost = new List<string>();
        foreach (var plan in plans.Where(p => p.Replaced))
        {
            try
            {
                if (plan.Kept is { } kept)
                {
                    File.Move(kept, plan.Target, overwrite: true);
                    plan.Kept = null;
                }
                else
                {
                    File.Delete(plan.Target);
                }

                plan.Replaced = false;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                lost.Add(plan.Kept is { } k ? $"{plan.Reported} (its previous version is in {k})" : $"{plan.Reported} (which did not exist before)");
                plan.Kept = null; // that copy is the only one left: keep it
            }
        }

        return lost;
    }

    /// <summary>Removes temporary files and second names (never a target), and the output folder if this write created it and it is empty.</summary>
    private static void Cleanup(List<FilePlan> plans)
    {
        try
        {
            CleanupFiles(plans);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // best effort: the original error is what matters
        }
    }

    /// <summary>Removes the output folder this write created, when it is empty.</summary>
    private static void RemoveCreatedFolder(string? createdFolder)
    {
        if (createdFolder is null)
        {
            return;
        }

        try
        {
            if (!Directory.EnumerateFileSystemEntries(createdFolder).Any())
            {
                Directory.Delete(createdFolder);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // best effort: the original error is what matters
        }
    }

    private static void CleanupFiles(List<FilePlan> plans)
    {
        foreach (var plan in plans)
        {
            foreach (var path in new[] { plan.Temp, plan.Kept })
            {
                if (path is null)
                {
                    continue;
                }

                try
                {
                    File.Delete(path);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // best effort: the original error is what matters
                }
            }
        }
    }

    private static string Describe(Exception e) => e switch
    {
        DecoderFallbackException or EncoderFallbackException => "the text is not valid Unicode, so it cannot be written as UTF-8.",
        _ => e.Message.EndsWith('.') ? e.Message : e.Message + ".",
    };
}

/// <summary>Writing rendered files failed or was refused; the message says what, and that nothing was changed.</summary>
internal sealed class OutputException : IOException
{
    /// <summary>Creates the exception.</summary>
    public OutputException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public OutputException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public OutputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
