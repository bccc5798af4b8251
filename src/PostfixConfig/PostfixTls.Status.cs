using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;
using PostfixConfig.MainCf;
using PostfixConfig.Status;
using PostfixConfig.Validation;

namespace PostfixConfig;

/// <content>The plain answer to "is TLS on?" for an existing main.cf and master.cf.</content>
public static partial class PostfixTls
{
    /// <summary>
    /// Says for every smtpd and postscreen listener of the master.cf beside <paramref name="mainCfPath"/>
    /// whether TLS is off, offered, required or implicit (and why, with the certificate it would serve and
    /// the protocol floor), and what the SMTP client does, as Postfix would apply the two files. Problems
    /// met while reading (a line Postfix refuses) are in <see cref="TlsStatus.Diagnostics"/>.
    /// </summary>
    /// <param name="mainCfPath">The main.cf file; master.cf is read from the same folder when it is there.</param>
    /// <param name="options">Release, file checks; <see langword="null"/> for <see cref="StatusOptions.Default"/>.</param>
    /// <exception cref="IOException">main.cf cannot be read (missing, too large, not a regular file).</exception>
    public static TlsStatus Status(string mainCfPath, StatusOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(mainCfPath);
        options ??= StatusOptions.Default;
        if (TooLarge(mainCfPath) is { } tooLarge)
        {
            throw new IOException(tooLarge[0].ToString());
        }

        if (MainCfFiles.Read(mainCfPath, out var text, out var utf8) is { } refused)
        {
            throw new IOException(refused[0].ToString());
        }

        var catalog = ParameterCatalog.Default;
        var (document, diagnostics) = MainCfDocument.Parse(text, mainCfPath, utf8);
        var release = ConfigurationValidation.ResolveRelease(document.ToConfiguration(), ValidationOptions.Default with { PostfixVersion = options.PostfixVersion }, catalog, diagnostics);
        var version = release?.Version ?? catalog.Releases.Resolve(catalog.Releases.NewestStable);
        var master = MasterCf.ReadNextTo(mainCfPath, diagnostics);
        foreach (var entry in master?.Entries ?? [])
        {
            if (entry.Error is { } error)
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.MasterCfSyntax, null,
                    $"This master.cf entry has {error}; Postfix refuses the whole file.", new SourceSpan(master!.Path, entry.Line, 1)));
            }
        }

        return TlsStatusReader.Read(document, master, version, catalog, options, DiagnosticList.Create(diagnostics));
    }
}
