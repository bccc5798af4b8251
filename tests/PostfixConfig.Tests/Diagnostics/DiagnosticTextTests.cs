using CsCheck;
using PostfixConfig.Diagnostics;

namespace PostfixConfig.Tests.Diagnostics;

/// <summary>The text form of a diagnostic, built whole (ToString) or written in pieces (WriteTo, used by the CLI).</summary>
public class DiagnosticTextTests
{
    [Fact]
    public void ToString_WithSpanAndParameter_IsTheCanonicalForm()
    {
        var d = new Diagnostic(DiagnosticSeverity.Warning, "PFX3003", "smtp_tls_security_level", "DANE needs DNSSEC.", new SourceSpan("/etc/postfix/main.cf", 12, 27));
        Assert.Equal("/etc/postfix/main.cf(12,27): warning PFX3003: DANE needs DNSSEC. [smtp_tls_security_level]", d.ToString());
        Assert.Equal("info PFX9001: No release given.", new Diagnostic(DiagnosticSeverity.Info, "PFX9001", null, "No release given.").ToString());
    }

    [Fact]
    public void WriteTo_AnyDiagnostic_WritesExactlyToString()
    {
        var gen = Gen.Select(
            Gen.Enum<DiagnosticSeverity>(),
            Gen.String[Gen.Char.AlphaNumeric, 0, 10].Null(),
            Gen.String[0, 900],
            Gen.Select(Gen.String[Gen.Char.AlphaNumeric, 0, 30].Null(), Gen.Int[1, int.MaxValue], Gen.Int[1, 100_000], (f, l, c) => new SourceSpan(f, l, c)).Nullable(),
            (severity, parameter, message, span) => new Diagnostic(severity, "PFX1234", parameter, message, span));
        gen.Sample(d =>
        {
            using var writer = new StringWriter();
            d.WriteTo(writer);
            Assert.Equal(d.ToString(), writer.ToString());
        }, iter: 2000, threads: 1);
    }
}
