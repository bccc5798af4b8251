using PostfixConfig.Diagnostics;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Lint;

/// <summary>Lints a main.cf with a master.cf beside it (written to a scratch folder), for one release.</summary>
internal static class LintPairs
{
    /// <summary>The one smtpd listener every test pair starts from.</summary>
    public const string StockMasterCf = "smtp      inet  n       -       y       -       -       smtpd\n";

    public static DiagnosticList Run(string mainCf, string masterCf = StockMasterCf, string version = "3.7")
    {
        using var dir = new TempDir();
        dir.Write("main.cf", mainCf);
        dir.Write("master.cf", masterCf);
        return PostfixTls.LintMainCfFile(dir.File("main.cf"), LintOptions.Default with
        {
            Validation = ValidationOptions.Default with { PostfixVersion = PostfixVersion.Parse(version) },
            CheckPolicyMap = false,
        });
    }
}
