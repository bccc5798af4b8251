using CsCheck;
using PostfixConfig.Diagnostics;
using PostfixConfig.MainCf;
using PostfixConfig.Tests.MainCf;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Text;

/// <summary>
/// <c>$</c> expansion: hand-checked cases (each expectation is what postconf 3.7.11 -x prints), the
/// version-dependent syntax, and a differential test against <c>postconf -nx</c> on generated files.
/// </summary>
public class ExpansionTests
{
    private static readonly PostfixVersion Installed = PostfixVersion.Parse("3.7.11");

    private static string? Expand(string mainCf, string name, string version = "3.7.11")
    {
        var doc = PostfixTls.ReadMainCf(mainCf).GetValueOrThrow();
        return doc.Expand(name, PostfixVersion.Parse(version)).Value;
    }

    [Theory]
    [InlineData("a = $b\nb = x", "x")]
    [InlineData("a = ${b}-$(b)-$b.c\nb = x", "x-x-x.c")]
    [InlineData("a = $$b", "$b")]
    [InlineData("a = ${b?yes}${c?no}\nb = x\nc =", "yes")]
    [InlineData("a = ${b:yes}${c:no}\nb = x", "no")]
    [InlineData("a = ${b?{x}:{y}}|${c?{x}:{y}}\nb = 1", "x|y")]
    [InlineData("a = ${ b ? { x } : y }\nb = 1", " x ")]
    [InlineData("a = ${{$b} == {1} ? {one} : {other}}\nb = 1", "one")]
    [InlineData("a = ${{10} > {9} ? {numeric} : {text}}", "numeric")]
    [InlineData("a = ${{10} > {9x} ? {numeric} : {text}}", "text")]
    [InlineData("a = ${{$b} <level {3.6} ? {md5} : {sha256}}\nb = 3.10", "sha256")]
    [InlineData("a = ${{$b} <level {3.6} ? {md5} : {sha256}}\nb = 2", "md5")]
    [InlineData("a = ${{1} == {1}}", "true")]
    [InlineData("a = $undefined_name_x!", "!")]
    [InlineData("a = $b\nb = $c\nc = deep", "deep")]
    public void Expand_Forms_AsPostconfX(string mainCf, string expected)
    {
        Assert.Equal(expected, Expand(mainCf + "\n", "a"));
    }

    [Fact]
    public void Expand_CatalogDefault_UsesTargetRelease()
    {
        // smtp_tls_fingerprint_digest defaults to md5 up to 3.5; from 3.6 to a compatibility_level test.
        Assert.Equal("md5", Expand("x = 1\n", "smtp_tls_fingerprint_digest", "3.5"));
        Assert.Equal("md5", Expand("x = 1\n", "smtp_tls_fingerprint_digest", "3.7"));
        Assert.Equal("sha256", Expand("compatibility_level = 3.6\n", "smtp_tls_fingerprint_digest", "3.7"));
    }

    [Fact]
    public void Expand_HostDependentDefault_SaysSoAndTakesAStandIn()
    {
        // myhostname's default comes from the host: a stand-in from the catalog's other defaults, never empty, and said so.
        var doc = PostfixTls.ReadMainCf("smtpd_banner = $myhostname ESMTP\n", "main.cf").GetValueOrThrow();
        var r = doc.Expand("smtpd_banner", Installed);
        Assert.Equal("host.example ESMTP", r.Value);
        var d = Assert.Single(r.Diagnostics);
        Assert.Equal((DiagnosticCodes.DefaultNotInCatalog, DiagnosticSeverity.Info), (d.Code, d.Severity));
        Assert.Contains("$myhostname", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Expand_DefaultOutsideTls_IsPostconfsValue()
    {
        // postconf -d of 3.7.11: mail_name = Postfix, virtual_alias_maps = $virtual_maps, virtual_maps = (empty).
        var doc = PostfixTls.ReadMainCf("smtpd_banner = $mail_name [$virtual_alias_maps]\n", "main.cf").GetValueOrThrow();
        var r = doc.Expand("smtpd_banner", Installed);
        Assert.Equal("Postfix []", r.Value);
        Assert.Empty(r.Diagnostics);
    }

    [Fact]
    public void Expand_BraceFormsBefore30_AreLiteralText()
    {
        // Before 3.0 the text after ? runs to the end, braces included.
        Assert.Equal("{x}:{y}", Expand("a = ${b?{x}:{y}}\nb = 1\n", "a", "2.11"));
        Assert.Equal("{x}", Expand("a = ${c:{x}}\n", "a", "2.11"));
    }

    [Fact]
    public void Expand_LevelOperatorBefore36_IsAnError()
    {
        Assert.Equal("yes", Expand("a = ${{3.6} <level {3.10} ? {yes} : {no}}\n", "a", "3.6"));
        Assert.Null(Expand("a = ${{3.6} <level {3.10} ? {yes} : {no}}\n", "a", "3.5"));
    }

    [Theory]
    [InlineData("a = ${b", DiagnosticCodes.ExpansionSyntax)]
    [InlineData("a = x $", DiagnosticCodes.ExpansionSyntax)]
    [InlineData("a = ${}", DiagnosticCodes.ExpansionSyntax)]
    [InlineData("a = ${b c}", DiagnosticCodes.ExpansionSyntax)]
    [InlineData("a = ${{1} = {1}}", DiagnosticCodes.ExpansionSyntax)]
    [InlineData("a = ${{1} <lvl {1}}", DiagnosticCodes.ExpansionSyntax)]
    [InlineData("a = ${{x} <level {1}}", DiagnosticCodes.ExpansionSyntax)]
    [InlineData("a = $b\nb = $a", DiagnosticCodes.ExpansionLoop)]
    [InlineData("a = ${{$a} == {1}}", DiagnosticCodes.ExpansionLoop)]
    public void Expand_Malformed_IsAnErrorWithCode(string mainCf, string code)
    {
        var doc = PostfixTls.ReadMainCf(mainCf + "\n", "main.cf").GetValueOrThrow();
        var r = doc.Expand("a", Installed);
        Assert.True(r.HasErrors);
        Assert.Equal(code, Assert.Single(r.Diagnostics.Errors).Code);
    }

    /// <summary>Simple TLS parameters whose 3.7.11 default the test checks against postconf -d before use.</summary>
    private static readonly string[] TlsNames =
    [
        "smtpd_tls_loglevel", "smtp_tls_loglevel", "smtpd_tls_security_level", "smtp_tls_security_level",
        "smtpd_tls_ciphers", "smtpd_tls_received_header", "smtp_tls_fingerprint_digest", "tls_append_default_CA",
    ];

    private static readonly string[] UserNames = ["u1", "u2", "u3", "u4"];

    private static Gen<string> Expression(int depth)
    {
        var names = Gen.OneOf([.. UserNames, .. TlsNames, "compatibility_level", "nosuch_name_q"]);
        var literal = Gen.OneOf("x", "1", "10", "3.6", "3.10", "a b", "", "md5", ":", "?", "-");
        if (depth == 0)
        {
            return Gen.Frequency(
                (3, literal),
                (3, names.Select(n => "$" + n)),
                (1, names.Select(n => "${" + n + "}")),
                (1, names.Select(n => "$(" + n + ")")),
                (1, Gen.Const("$$")));
        }

        var inner = Expression(depth - 1);
        var two = Gen.Select(inner, inner, (a, b) => a + b);
        var op = Gen.OneOf("==", "!=", "<", "<=", ">", ">=", "<level", ">=level");
        return Gen.Frequency(
            (3, Expression(0)),
            (2, two),
            (1, Gen.Select(names, inner, (n, v) => "${" + n + "?" + v + "}")),
            (1, Gen.Select(names, inner, (n, v) => "${" + n + ":" + v + "}")),
            (1, Gen.Select(names, inner, inner, (n, a, b) => "${" + n + " ? {" + a + "} : {" + b + "}}")),
            (1, Gen.Select(inner, op, inner, Gen.Select(inner, inner), (l, o, r, ab) => "${{" + l + "} " + o + " {" + r + "} ? {" + ab.Item1 + "} : {" + ab.Item2 + "}}")),
            (1, Gen.OneOf("${unclosed", "x$", "${}", "${a b}", "${{1} = {1}}")));
    }

    [Trait("Category", "Slow")]
    [PostfixFact]
    public void Expand_GeneratedFiles_AgreesWithPostconfX()
    {
        var defaults = PostfixTools.Run(PostfixTools.Postconf, ["-d", .. TlsNames]);
        foreach (var line in defaults.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = line.IndexOf(" =", StringComparison.Ordinal);
            var name = line[..eq];
            Assert.Equal(Postconf.Printed(line[(eq + 2)..]), Postconf.Printed(PostfixConfig.Catalog.ParameterCatalog.Default.Find(name)!.DefaultIn(Installed)!));
        }

        var definitions = Gen.Select(Gen.OneOf([.. UserNames, .. TlsNames, "compatibility_level"]), Expression(2), (n, v) => (Name: n, Value: v)).Array[1, 8];
        definitions.Sample(defs =>
        {
            var text = string.Concat(defs.Select(d => $"{d.Name} = {d.Value}\n"));
            var doc = PostfixTls.ReadMainCf(text, "main.cf").GetValueOrThrow();
            var run = Postconf.N(text, expand: true);
            var expansion = ParameterExpansion.For(doc, Installed, null);
            var results = run.Values.Keys.ToDictionary(n => n, expansion.ExpandParameter);
            if (run.ExitCode == 139)
            {
                // postconf 3.7.11 crashes (SIGSEGV) when a parameter refers to itself inside a relational
                // operand: each operand starts a fresh nesting count, so the recursion never ends. A crash
                // is no oracle (it can happen in a branch our expansion never takes); only require that
                // our expansion ends without throwing.
                Assert.All(doc.Values.Keys, n => _ = expansion.ExpandParameter(n));
                return;
            }

            if (run.ExitCode != 0)
            {
                Assert.True(run.Warned("macro processing error") || run.Warned("malformed compatibility level"), run.StdErr);
                var all = doc.Values.Keys.Concat(PostfixConfig.Catalog.ParameterCatalog.Default.ParametersIn(Installed).Select(p => p.Name));
                Assert.Contains(all, n => expansion.ExpandParameter(n).Error is not null);
                return;
            }

            foreach (var (name, printed) in run.Values)
            {
                Assert.True(results[name].Error is null, $"{name}: {results[name].Error}");
                Assert.Equal(printed, Postconf.Printed(results[name].Value!));
            }
        }, iter: 200, threads: 1);
    }
}
