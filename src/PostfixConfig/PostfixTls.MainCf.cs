using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;
using PostfixConfig.Import;
using PostfixConfig.Lint;
using PostfixConfig.MainCf;
using PostfixConfig.Merge;

namespace PostfixConfig;

/// <content>Existing main.cf files: read, lint, merge into, import from.</content>
public static partial class PostfixTls
{
    /// <summary>The largest main.cf read, in bytes (16 MiB; see <see cref="IO.InputLimits"/>).</summary>
    private const long MaxMainCfBytes = IO.InputLimits.ConfigFileBytes;

    /// <summary>
    /// Reads main.cf text exactly as Postfix does (see <see cref="MainCfDocument"/>). The result has no
    /// value when Postfix would refuse the file (a line that is not <c>name = value</c>); warnings such
    /// as settings given twice come with it.
    /// </summary>
    /// <param name="text">The text of main.cf.</param>
    /// <param name="path">The file name to use in diagnostics, or <see langword="null"/>.</param>
    public static Result<MainCfDocument> ReadMainCf(string text, string? path = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (document, diagnostics) = MainCfDocument.Parse(text, path);
        return new Result<MainCfDocument>(document, DiagnosticList.Create(diagnostics));
    }

    /// <summary>
    /// Reads a main.cf file byte for byte (UTF-8; a file that is not UTF-8 is read as ISO-8859-1 and
    /// flagged, see <see cref="MainCfDocument.IsUtf8"/>).
    /// </summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static Result<MainCfDocument> ReadMainCfFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (TooLarge(path) is { } tooLarge)
        {
            return new Result<MainCfDocument>(null, tooLarge);
        }

        if (MainCfFiles.Read(path, out var text, out var utf8) is { } refused)
        {
            return new Result<MainCfDocument>(null, refused);
        }

        var (document, diagnostics) = MainCfDocument.Parse(text, path, utf8);
        return new Result<MainCfDocument>(document, DiagnosticList.Create(diagnostics));
    }

    /// <summary>
    /// Lints main.cf text: what Postfix would complain about while reading it, every validation rule
    /// on its effective settings (positions point into main.cf), <c>$</c> expressions that cannot be
    /// expanded, the policy table and master.cf next to it (when <paramref name="path"/> is given), and
    /// advice on distribution defaults such as Debian's self-signed certificate.
    /// </summary>
    /// <param name="text">The text of main.cf.</param>
    /// <param name="path">Where it was read from (for diagnostics and to find the policy map and master.cf), or <see langword="null"/>.</param>
    /// <param name="options">Target release and policy map settings; <see langword="null"/> for <see cref="LintOptions.Default"/>.</param>
    public static DiagnosticList LintMainCf(string text, string? path = null, LintOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return MainCfLinter.Lint(text, path, isUtf8: true, options ?? LintOptions.Default);
    }

    /// <summary>Lints a main.cf file; see <see cref="LintMainCf(string, string?, LintOptions?)"/>.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static DiagnosticList LintMainCfFile(string path, LintOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (TooLarge(path) is { } tooLarge)
        {
            return tooLarge;
        }

        if (MainCfFiles.Read(path, out var text, out var utf8) is { } refused)
        {
            return refused;
        }

        return MainCfLinter.Lint(text, path, utf8, options ?? LintOptions.Default);
    }

    /// <summary>
    /// Applies a configuration to an existing main.cf the way <c>postconf -e</c> edits: a parameter the
    /// file sets gets its new value on its own line (every definition, continuation lines included,
    /// is replaced); a new parameter is appended after a comment naming the tool; every other byte
    /// stays. The result also holds the policy map to write next to main.cf. It has no value when
    /// the configuration is invalid or the merged file would have an error the original did not have.
    /// </summary>
    /// <param name="config">The settings to apply (typically from <see cref="LoadYaml(string, string?, LoadOptions?)"/>).</param>
    /// <param name="mainCf">The existing main.cf (from <see cref="ReadMainCfFile(string)"/>).</param>
    /// <param name="options">Target release and migration; <see langword="null"/> for <see cref="MergeOptions.Default"/>.</param>
    public static Result<MergedConfiguration> Merge(TlsConfiguration config, MainCfDocument mainCf, MergeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(mainCf);
        return MainCfMerger.Merge(config, mainCf, options ?? MergeOptions.Default);
    }

    /// <summary>
    /// Merges a configuration into the main.cf at <paramref name="mainCfPath"/> and writes the result
    /// (main.cf, the policy map, master.cf for services) into its folder, all or nothing, with no lost
    /// update: the folder lock (<c>.postfix-config.lock</c>) and Postfix's own edit locks
    /// (<c>main.cf.tmp</c>, <c>master.cf.tmp</c>, as <c>postconf -e</c> takes them) are held from the read
    /// to the last rename, and each target is checked just before the renames to be the file that was
    /// read (device, inode, size, modification time and SHA-256); when another program changed one, the
    /// merge is done again from the new text. No value when the configuration or main.cf has errors
    /// (see <see cref="Merge"/>).
    /// </summary>
    /// <param name="config">The settings to apply.</param>
    /// <param name="mainCfPath">The main.cf to edit in place.</param>
    /// <param name="options">Target release and migration; <see langword="null"/> for <see cref="MergeOptions.Default"/>.</param>
    /// <param name="writeOptions">Backups, links and the lock timeout; <see langword="null"/> for <see cref="WriteOptions.Default"/>.</param>
    /// <exception cref="IOException">main.cf cannot be read, a lock was not free in time, a target kept changing, or the files cannot be written; nothing was changed.</exception>
    public static Result<MergedFile> MergeFile(TlsConfiguration config, string mainCfPath, MergeOptions? options = null, WriteOptions? writeOptions = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(mainCfPath);
        return MainCfFileMerger.Merge(config, mainCfPath, options ?? MergeOptions.Default, writeOptions ?? WriteOptions.Default);
    }

    /// <summary>
    /// Turns main.cf (and its policy table) into a configuration in the YAML shape, such that rendering
    /// it gives a main.cf that <c>postconf -n</c> reads with the same values. Write it with
    /// <see cref="ToYaml(TlsConfiguration)"/>; check it with <see cref="Validate"/>.
    /// </summary>
    /// <exception cref="IOException"><see cref="ImportOptions.PolicyMapPath"/> is given but cannot be read.</exception>
    public static Result<TlsConfiguration> Import(MainCfDocument mainCf, ImportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(mainCf);
        return MainCfImporter.Import(mainCf, options ?? ImportOptions.Default, ParameterCatalog.Default);
    }

    /// <summary>
    /// Reads the source text of a TLS policy table (<c>destination level attribute=value ...</c> lines, as
    /// <c>postmap</c> reads them) into policy entries with positions.
    /// </summary>
    /// <param name="text">The table source text.</param>
    /// <param name="path">The file name to use in diagnostics, or <see langword="null"/>.</param>
    public static Result<TlsPolicyTable> ReadPolicyMap(string text, string? path = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (table, diagnostics) = PolicyMapReader.Read(text, path);
        return new Result<TlsPolicyTable>(table, DiagnosticList.Create(diagnostics));
    }

    private static DiagnosticList? TooLarge(string path)
    {
        var info = new FileInfo(path);
        return info.Exists && info.Length > MaxMainCfBytes
            ? DiagnosticList.Create(
            [
                new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.InputTooLarge, null,
                    $"The file is {info.Length} bytes long; the limit is {MaxMainCfBytes} bytes.", new SourceSpan(path, 1, 1)),
            ])
            : null;
    }
}
