namespace PostfixConfig;

/// <summary>Limits applied when reading YAML; the defaults suit any real configuration.</summary>
/// <remarks>Change them with <c>LoadOptions.Default with { ... }</c>. This type is immutable.</remarks>
public sealed record LoadOptions
{
    /// <summary>The defaults: 256 Mi characters of input, 64 Ki characters per value, 100 000 nodes from alias expansion, nesting 32 deep, 5 000 000 policy entries.</summary>
    public static LoadOptions Default { get; } = new();

    /// <summary>The largest input accepted, in characters.</summary>
    public int MaxInputChars { get; init; } = 256 * 1024 * 1024;

    /// <summary>The longest single value accepted, in characters.</summary>
    public int MaxValueLength { get; init; } = 64 * 1024;

    /// <summary>How many YAML nodes alias expansion may produce in total (guards against alias bombs).</summary>
    public int MaxAliasExpansion { get; init; } = 100_000;

    /// <summary>How deeply YAML collections may nest.</summary>
    public int MaxDepth { get; init; } = 32;

    /// <summary>The largest number of policy table entries accepted.</summary>
    public int MaxPolicyEntries { get; init; } = 5_000_000;

    /// <summary>
    /// Read <c>tls_policy</c> with the general reader instead of the fast one (which gives the same
    /// result); for the tests that compare the two.
    /// </summary>
    internal bool GeneralPolicyReader { get; init; }

    /// <summary>
    /// Parse with YamlDotNet only, not with the fast parser for the common subset (which gives the
    /// same events); for the tests and benchmarks that compare the two.
    /// </summary>
    internal bool YamlDotNetOnly { get; init; }

    /// <summary>
    /// Files larger than this many bytes are streamed instead of read into memory (16 MiB; tests set it
    /// to 0 to exercise the streaming path on small files).
    /// </summary>
    internal long StreamAbove { get; init; } = 16L << 20;
}
