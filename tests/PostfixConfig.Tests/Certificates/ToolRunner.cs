using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Certificates;

/// <summary>Runs openssl, tlsa, ldns-dane and sh for the certificate tests.</summary>
internal static class ToolRunner
{
    public static string Run(string tool, params string[] args)
    {
        var r = PostfixTools.Run(Tools.Require(tool), args);
        Assert.True(r.ExitCode == 0, $"{tool} {string.Join(' ', args)} failed ({r.ExitCode}): {r.StdErr}");
        return r.StdOut;
    }

    /// <summary>Runs a shell pipeline (<c>sh -c</c>).</summary>
    public static string Shell(string script) => Run("sh", "-c", script);

    /// <summary>Lower-case hex (as openssl dgst prints it) in Postfix's form: upper case, colon-separated.</summary>
    public static string PostfixForm(string hex) =>
        string.Join(':', Enumerable.Range(0, hex.Length / 2).Select(i => hex.Substring(i * 2, 2).ToUpperInvariant()));
}
