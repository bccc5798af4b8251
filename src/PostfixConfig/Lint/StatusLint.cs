using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;
using PostfixConfig.MainCf;
using PostfixConfig.Status;

namespace PostfixConfig.Lint;

/// <summary>
/// lint's answer to "is TLS on?": one info line per smtpd or postscreen listener and one for the SMTP
/// client, the same as <c>postfix-config status</c> prints, so that lint is never silent about either direction.
/// </summary>
internal static class StatusLint
{
    public static void Report(MainCfDocument document, MasterCf? master, PostfixVersion version, ParameterCatalog catalog, bool checkFiles, List<Diagnostic> diagnostics)
    {
        var status = TlsStatusReader.Read(document, master, version, catalog, StatusOptions.Default with { CheckFiles = checkFiles }, DiagnosticList.Empty);
        foreach (var l in status.Inbound)
        {
            var span = l.Level.Span ?? (master is null ? new SourceSpan(document.Path, 1, 1) : new SourceSpan(master.Path, l.Line, 1));
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Info, DiagnosticCodes.InboundTlsStatus, $"{l.Service}/{l.Type}", TlsStatusWriter.Line(l), span));
        }

        var o = status.Outbound;
        diagnostics.Add(new Diagnostic(DiagnosticSeverity.Info, DiagnosticCodes.OutboundTlsStatus, o.Level.Parameter, TlsStatusWriter.Line(o),
            o.Level.Span ?? new SourceSpan(document.Path, 1, 1)));
    }
}
