using CsCheck;
using PostfixConfig.Diagnostics;
using PostfixConfig.MainCf;
using PostfixConfig.Tests.Support;
using PostfixConfig.Text;

namespace PostfixConfig.Tests.MainCf;

/// <summary>
/// The reader against the real postconf on hundreds of generated main.cf files: the name → value map
/// must be what <c>postconf -c DIR -n</c> prints (after postconf's whitespace normalisation), names
/// postconf leaves out must be the ones it reports as unused (with the same value), and files Postfix
/// refuses or warns about must be the ones the reader reports.
/// </summary>
[Trait("Category", "Slow")]
public class MainCfDifferentialTests
{
    [PostfixFact]
    public void Parse_GeneratedFiles_AgreesWithPostconfN()
    {
        MainCfGenerators.Text(MainCfGenerators.LinesMaybeBroken).Sample(text =>
        {
            var (document, diagnostics) = MainCfDocument.Parse(text, "main.cf");
            var run = Postconf.N(text);
            if (diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
            {
                Assert.True(run.ExitCode != 0, "the reader refused a file that postconf accepts");
                Assert.True(run.Warned("missing '=' after attribute name") || run.Warned("missing attribute name"), run.StdErr);
                return;
            }

            if (run.ExitCode != 0 && run.Warned("macro processing error"))
            {
                // postconf expands a few parameters while it starts (relayhost, mynetworks, ...), looking
                // only at main.cf's own settings; then some value must be one that expansion rejects.
                var onlyFile = new MacroExpander(name => document.Find(name)?.Value);
                var withDefaults = ParameterExpansion.For(document, PostfixVersion.Parse("3.7.11"), null);
                Assert.Contains(document.Values.Keys, n => onlyFile.Expand(document.Values[n]).Error is not null || withDefaults.ExpandParameter(n).Error is not null);
                return;
            }

            Assert.True(run.ExitCode == 0, $"postconf refused a file the reader accepts: {run.StdErr}");
            foreach (var (name, printed) in run.Values)
            {
                Assert.True(document.Values.TryGetValue(name, out var mine), $"postconf prints {name}, the reader does not have it");
                Assert.Equal(printed, Postconf.Printed(mine));
            }

            foreach (var (name, mine) in document.Values.Where(kv => !run.Values.ContainsKey(kv.Key)))
            {
                Assert.True(run.Unused.TryGetValue(name, out var warned), $"the reader has {name}, postconf neither prints it nor reports it as unused");
                Assert.Equal(warned, Postconf.InWarning(mine));
            }

            Assert.Equal(run.Warned("logical line must not start with whitespace"), diagnostics.Any(d => d.Code == DiagnosticCodes.MainCfLeadingWhitespace));
            Assert.Equal(run.Warned("overriding earlier entry"), diagnostics.Any(d => d.Code == DiagnosticCodes.MainCfDuplicateParameter && d.Severity == DiagnosticSeverity.Warning));
        }, iter: 400, threads: 1);
    }
}
