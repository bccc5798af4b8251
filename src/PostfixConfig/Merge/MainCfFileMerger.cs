using PostfixConfig.Diagnostics;
using PostfixConfig.IO;
using PostfixConfig.MainCf;

namespace PostfixConfig.Merge;

/// <summary>
/// Merges a configuration into the main.cf (and master.cf) of a folder with no lost update: the
/// folder lock and Postfix's edit locks are held from the read to the last rename (so
/// <c>postconf -e</c> and other postfix-config runs wait), and every target is re-checked just before
/// the renames; when a program that takes no lock (an editor, <c>sed -i</c>) changed one in between,
/// the merge starts again from the new text, up to <see cref="MaxAttempts"/> times.
/// </summary>
internal static class MainCfFileMerger
{
    /// <summary>How many times a merge reads and merges before it gives up on a file that keeps changing.</summary>
    public const int MaxAttempts = 5;

    public static Result<MergedFile> Merge(TlsConfiguration config, string mainCfPath, MergeOptions options, WriteOptions writeOptions)
    {
        var full = Path.GetFullPath(mainCfPath);
        var folder = Path.GetDirectoryName(full) ?? ".";
        var mainName = Path.GetFileName(full);
        var masterPath = Path.Combine(folder, "master.cf");
        using var held = WriteLock.Acquire(folder, [mainName, "master.cf"], writeOptions.LockTimeout, writeOptions.LockWaiting);
        for (var attempt = 1; ; attempt++)
        {
            var stamps = new Dictionary<string, FileStamp>(StringComparer.Ordinal);
            byte[] bytes;
            try
            {
                stamps[mainName] = FileStamp.Read(full, InputLimits.ConfigFileBytes, out bytes);
            }
            catch (InputTooLargeException e)
            {
                return new Result<MergedFile>(null, DiagnosticList.Create([MainCfFiles.TooLarge(mainCfPath, e)]));
            }

            if (!stamps[mainName].Exists)
            {
                throw new FileNotFoundException($"Could not find file '{full}'.", full);
            }

            var merge = options;
            if (options.MasterCfText is null && config.Services.Count > 0 && File.Exists(masterPath))
            {
                byte[] master;
                try
                {
                    stamps["master.cf"] = FileStamp.Read(masterPath, InputLimits.ConfigFileBytes, out master);
                }
                catch (InputTooLargeException e)
                {
                    return new Result<MergedFile>(null, DiagnosticList.Create([MainCfFiles.TooLarge(masterPath, e)]));
                }

                merge = options with { MasterCfText = MainCfDocument.Decode(master).Text };
            }

            var (text, utf8) = MainCfDocument.Decode(bytes);
            var (document, read) = MainCfDocument.Parse(text, mainCfPath, utf8);
            if (read.Any(d => d.Severity == DiagnosticSeverity.Error))
            {
                return new Result<MergedFile>(null, DiagnosticList.Create(read));
            }

            TestHooks.Pause("read");
            var merged = MainCfMerger.Merge(config, document, merge);
            if (merged.Value is not { } result)
            {
                return new Result<MergedFile>(null, merged.Diagnostics);
            }

            var files = result.Files.Files;
            if (files.Length == 0)
            {
                return new Result<MergedFile>(new MergedFile(result, [], attempt), merged.Diagnostics);
            }

            foreach (var file in files.Where(f => !stamps.ContainsKey(f.FileName)))
            {
                stamps[file.FileName] = FileStamp.Of(Path.Combine(folder, file.FileName));
            }

            try
            {
                var written = AtomicFileWriter.Write(
                    folder, files.Select(f => (f.FileName, (Action<TextWriter>)f.WriteTo, f.IsExecutable)), writeOptions, new AtomicFileWriter.Guard(held, stamps));
                return new Result<MergedFile>(new MergedFile(result, written, attempt), merged.Diagnostics);
            }
            catch (TargetChangedException e) when (attempt < MaxAttempts)
            {
                _ = e; // merge again from what is there now
            }
            catch (TargetChangedException e)
            {
                throw new OutputException(
                    $"{e.Path} kept changing while it was merged ({MaxAttempts} attempts; another program writes it without Postfix's edit lock). Nothing was changed; try again when it is done.", e);
            }
        }
    }
}
