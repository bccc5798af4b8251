namespace PostfixConfig;

/// <summary>Options for writing rendered files to a folder.</summary>
/// <remarks>This type is immutable; change it with <c>with</c>.</remarks>
public sealed record WriteOptions
{
    /// <summary>The defaults: no backups, symbolic links refused.</summary>
    public static WriteOptions Default { get; } = new();

    /// <summary>Keep the previous version of each replaced file as <c>NAME.bak</c>.</summary>
    public bool Backup { get; init; }

    /// <summary>
    /// Write through a symbolic link in the output folder (replacing the file it points to) when the
    /// link leads to a file inside the output folder. By default a link is refused. A link leading out
    /// of the output folder is refused either way.
    /// </summary>
    public bool FollowSymlinks { get; init; }

    /// <summary>
    /// How long to wait for the folder's locks: the lock file <c>.postfix-config.lock</c> that every
    /// postfix-config write holds, and Postfix's own edit lock on <c>main.cf.tmp</c> and
    /// <c>master.cf.tmp</c> (held by <c>postconf -e</c> and friends while they edit). 30 seconds by default.
    /// </summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Told, with a sentence naming the lock and who holds it, when a lock is not free at once and the
    /// write waits for it (the CLI prints it, so that a wait is never silent); <see langword="null"/> for nothing.
    /// </summary>
    public Action<string>? LockWaiting { get; init; }
}
