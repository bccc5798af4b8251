using System.Collections.Immutable;
using PostfixConfig.MainCf;
using PostfixConfig.Rendering;

namespace PostfixConfig.Apply;

/// <summary>What an apply does to one file.</summary>
public enum FileAction
{
    /// <summary>The file already has this content.</summary>
    Unchanged,

    /// <summary>The file is new.</summary>
    Create,

    /// <summary>The file is replaced (all or nothing, with the other files).</summary>
    Replace,
}

/// <summary>What an apply asks of Postfix when it is done.</summary>
public enum PostfixAction
{
    /// <summary>Nothing: nothing changed, or reloading was turned off.</summary>
    None,

    /// <summary><c>postfix reload</c>: main.cf, master.cf or a map changed.</summary>
    Reload,

    /// <summary><c>postfix stop</c> and <c>start</c>: a setting changed that only a restart applies (<c>inet_interfaces</c>, <c>inet_protocols</c>).</summary>
    Restart,
}

/// <summary>One file an apply manages.</summary>
/// <param name="Path">Where it is on the host.</param>
/// <param name="Kind">What it is.</param>
/// <param name="Action">What the apply does to it.</param>
public sealed record PlannedFile(string Path, RenderedFileKind Kind, FileAction Action);

/// <summary>One map an apply compiles, and why.</summary>
/// <param name="Type">The table type (<c>hash</c>, <c>lmdb</c>, <c>cdb</c>, <c>btree</c>).</param>
/// <param name="Path">The table's source file on the host.</param>
/// <param name="FileContents">Whether it is built with <c>postmap -F</c> (the SNI table: the files the values name are read into it).</param>
/// <param name="Reason">Why it is compiled (the source changes, the database is missing or older than the source or than a file it names).</param>
public sealed record PlannedCompilation(string Type, string Path, bool FileContents, string Reason)
{
    /// <summary>The command, as a user would type it: <c>postmap hash:/etc/postfix/tls_policy</c>.</summary>
    public string Command => $"postmap {(FileContents ? "-F " : string.Empty)}{Type}:{Path}";
}

/// <summary>
/// What applying a configuration to a Postfix config folder would do: the parameters that change in
/// main.cf and master.cf, the files written, the maps compiled, and whether Postfix is reloaded or
/// restarted. From <see cref="PostfixTls.PlanApply(TlsConfiguration, ApplyOptions?)"/>; nothing has
/// been changed yet.
/// </summary>
/// <remarks>This type is immutable.</remarks>
public sealed class ApplyPlan
{
    internal ApplyPlan(
        string configDirectory,
        PostfixVersion version,
        ImmutableArray<MainCfChange> changes,
        ImmutableArray<PlannedFile> files,
        ImmutableArray<PlannedCompilation> compilations,
        PostfixAction action,
        string actionReason,
        ImmutableArray<(PlannedFile File, RenderedFile Content)> contents,
        ImmutableDictionary<string, string?> previousTexts)
    {
        ConfigDirectory = configDirectory;
        Version = version;
        Changes = changes;
        Files = files;
        Compilations = compilations;
        Action = action;
        ActionReason = actionReason;
        Contents = contents;
        _previousTexts = previousTexts;
    }

    private readonly ImmutableDictionary<string, string?> _previousTexts;

    /// <summary>The config folder.</summary>
    public string ConfigDirectory { get; }

    /// <summary>The Postfix release the configuration was checked for.</summary>
    public PostfixVersion Version { get; }

    /// <summary>The parameters that change: main.cf names, and <c>service/type/name</c> for master.cf.</summary>
    public ImmutableArray<MainCfChange> Changes { get; }

    /// <summary>Every file the apply manages, changed or not.</summary>
    public ImmutableArray<PlannedFile> Files { get; }

    /// <summary>The maps to compile.</summary>
    public ImmutableArray<PlannedCompilation> Compilations { get; }

    /// <summary>What Postfix is asked to do afterwards (when it is running).</summary>
    public PostfixAction Action { get; }

    /// <summary>Why (or why not).</summary>
    public string ActionReason { get; }

    /// <summary>Whether anything would be written or compiled.</summary>
    public bool HasChanges => Files.Any(f => f.Action != FileAction.Unchanged) || !Compilations.IsEmpty;

    /// <summary>The new content of each file that is written.</summary>
    internal ImmutableArray<(PlannedFile File, RenderedFile Content)> Contents { get; }

    /// <summary>
    /// What <paramref name="file"/> (one of <see cref="Files"/>) holds before the apply, read when the
    /// plan was made, for a diff: empty when the apply creates it; <see langword="null"/> when the apply
    /// does not write it, or when it is not a regular file or is too large to read (no diff can be shown).
    /// </summary>
    public string? PreviousText(PlannedFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return _previousTexts.GetValueOrDefault(file.Path);
    }

    /// <summary>What the apply writes into <paramref name="file"/> (one of <see cref="Files"/>), or <see langword="null"/> when it does not write it.</summary>
    public string? NewText(PlannedFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return Contents.FirstOrDefault(c => string.Equals(c.File.Path, file.Path, StringComparison.Ordinal)).Content?.Content;
    }
}

/// <summary>What an apply did.</summary>
/// <param name="Plan">What it set out to do.</param>
/// <param name="Performed">What it asked of Postfix (<see cref="PostfixAction.None"/> also when Postfix was not running).</param>
/// <param name="Commands">Every Postfix command it ran, in order, with its output.</param>
public sealed record ApplyResult(ApplyPlan Plan, PostfixAction Performed, ImmutableArray<CommandResult> Commands)
{
    /// <summary>Whether anything was written or compiled (<see langword="false"/>: "no change").</summary>
    public bool Changed => Plan.HasChanges;
}
