using System.Collections.Immutable;
using PostfixConfig.Catalog;
using PostfixConfig.MainCf;
using PostfixConfig.Rendering;

namespace PostfixConfig.Merge;

/// <summary>
/// The result of merging a configuration into an existing main.cf: the edited document, the list of
/// changes, and the files to write (main.cf under its own name, plus the policy map).
/// </summary>
/// <remarks>This type is immutable and thread-safe.</remarks>
public sealed class MergedConfiguration
{
    internal MergedConfiguration(MainCfDocument original, MainCfDocument mainCf, ImmutableArray<MainCfChange> changes, RenderedConfiguration files)
    {
        Original = original;
        MainCf = mainCf;
        Changes = changes;
        Files = files;
    }

    /// <summary>main.cf as it was.</summary>
    public MainCfDocument Original { get; }

    /// <summary>The release the merge validated and rendered for (resolved once, from the options or the configuration).</summary>
    internal TargetRelease? Release { get; init; }

    /// <summary>main.cf after the merge.</summary>
    public MainCfDocument MainCf { get; }

    /// <summary>The parameters changed, in the order they were applied.</summary>
    public ImmutableArray<MainCfChange> Changes { get; }

    /// <summary>
    /// The files to write into the folder of main.cf: main.cf itself when it changed (under the file name
    /// it was read from) and the policy map when the configuration has a <c>tls_policy</c>; empty when
    /// there is nothing to write. Write them with
    /// <see cref="RenderedConfiguration.WriteTo(string, WriteOptions?)"/>, which replaces all or nothing.
    /// </summary>
    public RenderedConfiguration Files { get; }

    /// <summary>Whether main.cf text changed.</summary>
    public bool MainCfChanged => !string.Equals(Original.Text, MainCf.Text, StringComparison.Ordinal);

    /// <summary>
    /// What <paramref name="file"/> (one of <see cref="Files"/>) replaces: main.cf's text as it was read,
    /// or the text of the file of that name now in main.cf's folder (empty when there is none), for a
    /// diff. <see langword="null"/> when that file is not a regular file or is larger than
    /// 256 MiB (it is not read), or when main.cf was not read from a file.
    /// </summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public string? PreviousText(RenderedFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file.Kind == RenderedFileKind.MainCf)
        {
            return Original.Text;
        }

        if (Original.Path is not { } mainPath)
        {
            return null;
        }

        var path = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(mainPath)) ?? ".", file.FileName);
        try
        {
            return File.Exists(path)
                ? MainCfDocument.Decode(IO.BoundedFile.ReadAllBytes(path, IO.InputLimits.PolicyMapBytes, regularOnly: true)).Text
                : string.Empty;
        }
        catch (Exception e) when (e is IO.InputTooLargeException or IO.NotRegularFileException)
        {
            return null;
        }
    }
}

/// <summary>
/// The result of <see cref="PostfixTls.MergeFile"/>: the merge that was written (against the main.cf
/// that was there at the moment of writing) and the files written.
/// </summary>
/// <remarks>This type is immutable and thread-safe.</remarks>
public sealed class MergedFile
{
    internal MergedFile(MergedConfiguration merged, IReadOnlyList<string> written, int attempts)
    {
        Merged = merged;
        Written = written;
        Attempts = attempts;
    }

    /// <summary>The merge: main.cf as it was when it was written over, the changes, and the files.</summary>
    public MergedConfiguration Merged { get; }

    /// <summary>The paths written; empty when everything was already up to date.</summary>
    public IReadOnlyList<string> Written { get; }

    /// <summary>
    /// How many times the files were read and merged: more than 1 when another program changed a
    /// target without Postfix's edit lock after it was read, and the merge was done again from its text.
    /// </summary>
    public int Attempts { get; }
}
