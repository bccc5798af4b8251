using System.Diagnostics;
using System.Text;
using PostfixConfig.Diagnostics;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.IO;

/// <summary>
/// Huge inputs besides YAML (README "Safety and limits"): a 100 MB main.cf or master.cf, a 10 MB line,
/// a million continuation lines, a 50 MB PEM file and /dev/urandom through a FIFO are refused with a
/// message naming the file and the limit, exit code 1, nothing written, and the run ends (the 60 s
/// wait is a hang guard, not a speed test; memory is measured by benchmarks/limits.sh).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Trait("Category", "Slow")]
public sealed class ResourceLimitTests : IDisposable
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Writes <paramref name="repeat"/> copies of <paramref name="body"/> between a head and a tail, without holding the file in memory.</summary>
    private string Big(string name, string head, string body, long repeat, string tail = "")
    {
        var path = _dir.File(name);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        stream.Write(Encoding.UTF8.GetBytes(head));
        var chunk = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(body, (int)Math.Max(1, Math.Min(repeat, (1 << 20) / Math.Max(1, body.Length))))));
        var perChunk = chunk.Length / Math.Max(1, Encoding.UTF8.GetByteCount(body));
        for (var left = repeat; left > 0; left -= perChunk)
        {
            stream.Write(chunk, 0, (int)Math.Min(chunk.Length, left * Encoding.UTF8.GetByteCount(body)));
        }

        stream.Write(Encoding.UTF8.GetBytes(tail));
        return path;
    }

    /// <summary>Runs the CLI in-process under the hang guard and checks that the folder did not change.</summary>
    private CliRunner.CliResult Run(params string[] args)
    {
        var before = FolderSnapshot.Of(_dir.Path);
        var run = Task.Run(() => CliRunner.Run(args));
        Assert.True(run.Wait(HangGuard), $"postfix-config {string.Join(' ', args)} did not finish within {HangGuard.TotalSeconds} s");
        Assert.Equal(before, FolderSnapshot.Of(_dir.Path));
        return run.Result;
    }

    private static void AssertRefused(CliRunner.CliResult r, string position, params string[] parts)
    {
        var output = r.StdOut + r.StdErr;
        Assert.True(r.ExitCode == 1, $"exit {r.ExitCode}: {output}");
        var line = output.Split('\n').FirstOrDefault(l => l.Contains(position, StringComparison.Ordinal) && l.Contains(DiagnosticCodes.InputTooLarge, StringComparison.Ordinal) || l.Contains(position, StringComparison.Ordinal) && l.Contains(DiagnosticCodes.NotPem, StringComparison.Ordinal));
        Assert.True(line is not null, $"no refusal at {position} in: {output[..Math.Min(2000, output.Length)]}");
        foreach (var part in parts)
        {
            Assert.Contains(part, line, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal); // no stack trace
    }

    [Fact]
    public void Lint_MainCfOf100MB_IsRefusedUnread()
    {
        var path = Big("main.cf", string.Empty, "myhostname = mail.example.com\n", 100L * 1024 * 1024 / 30);
        AssertRefused(Run("lint", path), $"{path}(1,1)", "the limit is 16777216 bytes");
        AssertRefused(Run("import", path), $"{path}(1,1)", "the limit is 16777216 bytes");
    }

    [Fact]
    public void Lint_MasterCfOf100MB_NextToASmallMainCf_IsRefused()
    {
        var main = _dir.Write("main.cf", "myhostname = mail.example.com\nsmtpd_tls_security_level = may\n");
        var master = Big("master.cf", "smtp      inet  n       -       y       -       -       smtpd\n", "#  a comment line of a very long master.cf file\n", 100L * 1024 * 1024 / 48);
        AssertRefused(Run("lint", main), $"{master}(1,1)", "the limit is 16 MiB", "104,");
    }

    [Fact]
    public void Lint_LineOf10MB_IsRefusedAtItsLine()
    {
        var path = Big("main.cf", "smtpd_tls_security_level = may\nmyhostname = ", "a", 10L * 1024 * 1024, "\nsmtp_tls_security_level = may\n");
        var r = Run("lint", path);
        AssertRefused(r, $"{path}(2,1)", "10,485,773 characters long", "the limit is 1,048,576 characters");
        AssertRefused(Run("import", path), $"{path}(2,1)", "the limit is 1,048,576 characters");
    }

    [Fact]
    public void Lint_MillionContinuationLines_AreRefusedAsOneLine()
    {
        var path = Big("main.cf", "mydestination = localhost\n", "  example.com,\n", 1_000_000, "smtpd_tls_security_level = may\n");
        AssertRefused(Run("lint", path), $"{path}(1,1)", "with its 1,000,000 continuation lines", "the limit is 1,048,576 characters");
    }

    [Fact]
    public void Lint_MasterCfEntryWithAMillionContinuationLines_IsRefused()
    {
        var main = _dir.Write("main.cf", "myhostname = mail.example.com\n");
        var master = Big("master.cf", "smtp      inet  n       -       y       -       -       smtpd\n", "  -o x=y\n", 1_000_000);
        AssertRefused(Run("lint", main), $"{master}(1,1)", "master.cf entry", "with its 1,000,000 continuation lines");
    }

    [Fact]
    public void CheckFilesFingerprintAndTlsa_PemOf50MB_AreRefused()
    {
        var pem = Big("chain.pem", "-----BEGIN CERTIFICATE-----\n", "MIIBszCCAVmgAwIBAgIUQ2VydGlmaWNhdGUgZm9yIGZ1enppbmcgb25seTAKBggq\n", 50L * 1024 * 1024 / 65, "-----END CERTIFICATE-----\n");
        var config = _dir.Write("tls.yaml", $"postfix_version: \"3.7\"\nmain:\n  smtpd_tls_security_level: may\n  smtpd_tls_chain_files: {pem}\n");
        var validate = Run("validate", config, "--check-files");
        Assert.Equal(1, validate.ExitCode);
        Assert.Matches($@"tls\.yaml\(4,26\): error PFX7004: {System.Text.RegularExpressions.Regex.Escape(pem)} is 52,\d{{3}},\d{{3}} bytes long; the limit is 1 MiB\.", validate.StdOut + validate.StdErr);
        foreach (var r in new[] { Run("fingerprint", pem), Run("tlsa", pem, "--host", "mail.example.com") })
        {
            Assert.Equal(1, r.ExitCode);
            Assert.Contains("the limit is 1 MiB", r.StdErr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void UrandomThroughAFifo_IsReadOnlyUpToTheLimitOrNotOpened()
    {
        var fifo = _dir.Fifo("urandom.fifo");

        // A writer that feeds /dev/urandom into the FIFO until it is stopped (each reader gets its own stream of bytes).
        using var writer = Process.Start(new ProcessStartInfo("sh", ["-c", "while :; do cat /dev/urandom > \"$1\" 2>/dev/null; done", "sh", fifo]) { UseShellExecute = false })!;
        try
        {
            // Given as the file to read: read up to the limit, then refused.
            var fingerprint = Run("fingerprint", fifo);
            Assert.Equal(1, fingerprint.ExitCode);
            Assert.Contains($"{fifo} holds more than 1 MiB (reading stopped there)", fingerprint.StdErr, StringComparison.Ordinal);

            var lint = Run("lint", fifo);
            AssertRefused(lint, $"{fifo}(1,1)", "holds more than 16 MiB");

            // Named in a setting: never opened (opening a FIFO can block for ever).
            var config = _dir.Write("tls.yaml", $"postfix_version: \"3.7\"\nmain:\n  smtpd_tls_security_level: may\n  smtpd_tls_chain_files: {fifo}\n");
            var validate = Run("validate", config, "--check-files");
            Assert.Equal(1, validate.ExitCode);
            Assert.Contains($"{fifo} is not a regular file (a FIFO, device or socket), so it was not opened", validate.StdOut + validate.StdErr, StringComparison.Ordinal);
        }
        finally
        {
            writer.Kill(entireProcessTree: true);
            writer.WaitForExit();
        }
    }

    [Fact]
    public void Lint_MasterCfThatIsAFifo_IsNotOpened()
    {
        var main = _dir.Write("main.cf", "myhostname = mail.example.com\n");
        _dir.Fifo("master.cf");

        // No writer: opening it would block for ever.
        var r = Run("lint", main);
        Assert.Contains($"{_dir.File("master.cf")}(1,1): warning {DiagnosticCodes.NotRegularFile}", r.StdOut, StringComparison.Ordinal);
    }
}
