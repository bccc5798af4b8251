namespace PostfixConfig;

/// <summary>Options for writing rendered files to a folder.</summary>
/// <remarks>This type is immutable; change it with <c>with</c>.</remarks>
public sealed record WriteOptions
{
    /// <summary>The defaults: no backups.</summary>
    public static WriteOptions Default { get; } = new();

    /// <summary>Keep the previous version of each replaced file as <c>NAME.bak</c>.</summary>
    public bool Backup { get; init; }
}
