using System.Diagnostics;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Dns;

/// <summary>
/// <c>examples/certbot-dane-hook.sh</c> run by /bin/sh with the built CLI, against the fake DNS server: before a
/// renewal it stops (exit 1) unless a published record would match the renewed chain; after it (as a deploy
/// hook with RENEWED_LINEAGE) it fails unless a published record authenticates the renewed chain.
/// </summary>
[Trait("Category", "Slow")] // runs sh and the CLI as processes
public sealed class CertbotDaneHookTests : IDisposable
{
    private const string Host = RenewalKeys.Host;
    private readonly RenewalKeys _keys = new();

    public void Dispose() => _keys.Dispose();

    private PostfixTools.ProcessResult Hook(string mode, string[] published, bool nextKey = false, string? resolver = null)
    {
        var lineage = Path.GetDirectoryName(_keys.WriteFullChain(Path.Combine("live", Host, "fullchain.pem")))!;
        var next = _keys.WriteNextKey();
        using var dns = new FakeDnsServer((name, type, _) => name == $"_25._tcp.{Host}" && type == 52
            ? FakeAnswer.Secure([.. published.Select(p => FakeAnswer.Tlsa(3, 1, 1, p))])
            : FakeAnswer.Secure());
        var psi = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(RepoPaths.Root, "examples", "certbot-dane-hook.sh"), mode, Host }.Concat(nextKey ? [next] : []))
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["RENEWED_LINEAGE"] = lineage;
        psi.Environment["RESOLVER"] = resolver ?? dns.Address;
        psi.Environment["POSTFIX_CONFIG"] = CliProcess.Executable;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the hook did not finish in 60 s");
        }

        return new PostfixTools.ProcessResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    private string Current => _keys.CurrentSpki;

    private string Next => _keys.NextSpki;

    [Fact]
    public void Before_NextKeysRecordPublished_RenewingIsSafe_Exit0()
    {
        var r = Hook("before", [Current, Next], nextKey: true);

        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("renewal:      safe", r.StdErr, StringComparison.Ordinal);
        Assert.Contains("certbot-dane-hook: renewing is safe for mail.example.com.", r.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Before_OnlyTheCurrentKeysRecord_Stops_Exit1()
    {
        var r = Hook("before", [Current], nextKey: true);

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("renewal:      UNSAFE", r.StdErr, StringComparison.Ordinal);
        Assert.Contains("certbot-dane-hook: do NOT renew now", r.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void After_RenewedChainPublished_Exit0_AndNotPublished_Exit1()
    {
        var ok = Hook("after", [Current]);
        var stale = Hook("after", [Next]);

        Assert.True(ok.ExitCode == 0, ok.StdErr);
        Assert.Contains("is authenticated by a published TLSA record", ok.StdErr, StringComparison.Ordinal);
        Assert.Equal(1, stale.ExitCode);
        Assert.Contains("STALE: remove", stale.StdErr, StringComparison.Ordinal);
        Assert.Contains("matches NO published TLSA record", stale.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void DnsThatCannotBeAsked_Exit2_AndBadUse_Exit2()
    {
        var r = Hook("before", [Current], resolver: "not-an-address");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("could not be checked (exit code 2)", r.StdErr, StringComparison.Ordinal);
        Assert.Equal(2, Hook("during", [Current]).ExitCode);
    }
}
