using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using PostfixConfig.Apply;
using PostfixConfig.IntegrationTests.Support;
using Xunit.Abstractions;

namespace PostfixConfig.IntegrationTests;

/// <summary>
/// Reloads under load lose nothing (issue 23): Postfix's <c>smtp-source</c> (10 sessions in parallel)
/// feeds a sending instance that relays every message with TLS required (<c>encrypt</c>) to the
/// instance under test, whose receiving smtpd discards what it accepts; meanwhile <c>apply</c> rotates
/// that instance's certificate RSA → ECDSA → RSA … and reloads it five times. Every message is
/// delivered (counted in the receiver's log), no TLS handshake fails, no fatal error is logged.
/// A first run without reloads gives the rate to compare with; both rates and the longest stall are
/// written to the test output.
/// </summary>
[Collection(LiveTestGroup.Name)]
[Trait("Category", "Slow")]
public sealed class ReloadUnderLoadTests(ITestOutputHelper output)
{
    private const string ServerName = "mail.pfc-test.example";
    private const int Baseline = 1000;
    private const int Messages = 2000;
    private const int Sessions = 10;
    private const int Batch = 500;
    private const int Reloads = 5;
    private static readonly TimeSpan PhaseDeadline = TimeSpan.FromSeconds(300);

    private const string SmtpSource = "/usr/sbin/smtp-source";

    /// <summary>A self-signed ECDSA P-256 certificate and its key, for the rotation.</summary>
    private static (string Key, string Chain) EcdsaPki(string directory)
    {
        Directory.CreateDirectory(directory);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={ServerName}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(ServerName);
        request.CertificateExtensions.Add(san.Build());
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(2));
        var (keyFile, chainFile) = (Path.Combine(directory, "ecdsa.key.pem"), Path.Combine(directory, "ecdsa.chain.pem"));
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem() + "\n");
        File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(chainFile, cert.ExportCertificatePem() + "\n");
        return (keyFile, chainFile);
    }

    private static TlsConfiguration UnderTest(string key, string chain) => Render.ForInstalledPostfix()
        .Set("smtpd_tls_chain_files", [key, chain])
        .Set("smtpd_tls_security_level", "may")
        .Set("smtpd_tls_loglevel", "1");

    /// <summary>Counts log lines as the log grows (reads only what was added since the last call).</summary>
    private sealed class LogCounter(string path, Func<string, bool> counts)
    {
        private long _offset;
        private string _partial = string.Empty;

        public int Count { get; private set; }

        public int Poll()
        {
            if (!File.Exists(path))
            {
                return Count;
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            stream.Seek(_offset, SeekOrigin.Begin);
            var buffer = new byte[64 * 1024];
            int read;
            var text = new StringBuilder(_partial);
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                _offset += read;
                text.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }

            var lines = text.ToString().Split('\n');
            _partial = lines[^1];
            Count += lines[..^1].Count(counts);
            return Count;
        }
    }

    private sealed record Phase(int Delivered, TimeSpan Elapsed, TimeSpan LongestStall, List<PostfixAction> Applies)
    {
        public double Rate => Delivered / Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Sends messages through smtp-source into the sender, in batches of <see cref="Batch"/>, until at
    /// least <paramref name="minimum"/> are sent and <paramref name="alongside"/> (run meanwhile on its
    /// own thread, given the number delivered so far) is done; polls the receiver's deliveries every
    /// 20 ms until every message sent is delivered (the longest time the count stood still between the
    /// first and the last delivery is the stall).
    /// </summary>
    private static Phase Run(PostfixInstance sender, LogCounter delivered, int minimum, Func<Func<int>, List<PostfixAction>>? alongside = null)
    {
        var start = delivered.Poll();
        var progress = new System.Runtime.CompilerServices.StrongBox<int>(0);
        var sentSoFar = new System.Runtime.CompilerServices.StrongBox<int>(0);
        var clock = Stopwatch.StartNew();
        var side = Task.Run(() => alongside?.Invoke(() => Volatile.Read(ref progress.Value)) ?? []);
        var source = Task.Run(() =>
        {
            while (Volatile.Read(ref sentSoFar.Value) < minimum || !side.IsCompleted)
            {
                if (clock.Elapsed > PhaseDeadline || side.IsFaulted)
                {
                    break;
                }

                var r = Proc.Run(SmtpSource,
                    ["-s", Sessions.ToString(CultureInfo.InvariantCulture), "-m", Batch.ToString(CultureInfo.InvariantCulture), "-l", "1024",
                     "-M", "load.pfc-test.example", "-f", "load@pfc-test.example", "-t", "sink@dest.pfc-test.example",
                     $"127.0.0.1:{sender.SmtpdPort}"], timeout: PhaseDeadline);
                if (r.ExitCode != 0)
                {
                    return r;
                }

                Interlocked.Add(ref sentSoFar.Value, Batch);
            }

            return new Proc.Result(0, string.Empty, string.Empty);
        });
        var (last, lastChange, stall) = (start, (TimeSpan?)null, TimeSpan.Zero);
        while (!source.IsCompleted || last - start < Volatile.Read(ref sentSoFar.Value))
        {
            Assert.True(clock.Elapsed < PhaseDeadline, $"{last - start} of {Volatile.Read(ref sentSoFar.Value)} messages delivered after {PhaseDeadline.TotalSeconds:0} s\n{sender.Describe()}");
            Assert.False(side.IsFaulted, side.Exception?.ToString());
            Assert.False(source.IsCompleted && source.Result.ExitCode != 0, source.IsCompleted ? $"smtp-source failed ({source.Result.ExitCode}): {source.Result.Output}" : null);
            Thread.Sleep(20);
            var now = delivered.Poll();
            if (now != last)
            {
                var at = clock.Elapsed;
                stall = lastChange is { } previous && at - previous > stall ? at - previous : stall;
                (last, lastChange) = (now, at);
                Volatile.Write(ref progress.Value, now - start);
            }
        }

        var elapsed = clock.Elapsed;
        Assert.True(side.Wait(PhaseDeadline), "the reloads did not finish");
        Assert.Equal(sentSoFar.Value, last - start);
        return new Phase(last - start, elapsed, stall, side.Result);
    }

    [LivePostfixFact]
    public void ReloadsWithCertificateRotation_EveryMessageDeliveredNoHandshakeFailsNoFatal()
    {
        Assert.True(File.Exists(SmtpSource), $"{SmtpSource} is missing (Debian package postfix)");
        using var underTest = PostfixInstance.Create();
        using var sender = PostfixInstance.Create();
        var rsa = TestPki.Create(Path.Combine(underTest.PkiDirectory, "rsa"), ServerName, "PostfixConfig Load CA");
        var ecdsa = EcdsaPki(Path.Combine(underTest.PkiDirectory, "ecdsa"));
        underTest.Start(Render.Files(UnderTest(rsa.KeyFile, rsa.ChainFile)));
        sender.Start(Render.Files(Render.ForInstalledPostfix()
            .Set("relayhost", $"[127.0.0.1]:{underTest.ReceiverPort}")
            .Set("smtp_tls_security_level", "encrypt")
            .Set("smtp_tls_loglevel", "1")));

        // The receiver of the instance under test discards what it accepts: each message is one line.
        var delivered = new LogCounter(underTest.LogFile, l => l.Contains(" status=sent (accepted-by-receiver)", StringComparison.Ordinal));
        var options = ApplyOptions.Default with { ConfigDirectory = underTest.ConfigDirectory };

        var baseline = Run(sender, delivered, Baseline);

        // Under load: five applies, the certificate alternating, each once another 200 messages are
        // delivered (back to back when applies are slower than that); smtp-source keeps sending
        // (at least 2 000 messages) until the last one has reloaded.
        var reloadedAt = new List<(int Before, int After)>();
        var loaded = Run(sender, delivered, Messages, progress =>
        {
            var performed = new List<PostfixAction>();
            for (var i = 1; i <= Reloads; i++)
            {
                var until = DateTime.UtcNow + PhaseDeadline;
                while (progress() < i * 200)
                {
                    Assert.True(DateTime.UtcNow < until, $"reload {i}: only {progress()} messages delivered");
                    Thread.Sleep(20);
                }

                var before = progress();
                var config = i % 2 == 1 ? UnderTest(ecdsa.Key, ecdsa.Chain) : UnderTest(rsa.KeyFile, rsa.ChainFile);
                var r = PostfixTls.Apply(config, options);
                Assert.False(r.HasErrors, string.Join('\n', r.Diagnostics));
                performed.Add(r.Value.Performed);
                reloadedAt.Add((before, progress()));
            }

            return performed;
        });

        Assert.True(loaded.Delivered >= Messages, $"{loaded.Delivered} messages");
        Assert.True(reloadedAt.All(r => r.After < loaded.Delivered), $"a reload came after the last delivery ({string.Join(", ", reloadedAt)} of {loaded.Delivered})");
        Assert.Equal(Enumerable.Repeat(PostfixAction.Reload, Reloads), loaded.Applies);
        Assert.Equal(Reloads, underTest.Log.Split('\n').Count(l => l.Contains("reload -- version", StringComparison.Ordinal)));

        // Nothing deferred or bounced at the sender, no handshake failed on either side, nothing fatal.
        var sent = sender.Log.Split('\n').Count(l => l.Contains(" status=sent ", StringComparison.Ordinal) && l.Contains($"relay=127.0.0.1[127.0.0.1]:{underTest.ReceiverPort}", StringComparison.Ordinal));
        Assert.True(sent == baseline.Delivered + loaded.Delivered, $"the sender relayed {sent} of {baseline.Delivered + loaded.Delivered}\n{sender.Describe()}");
        string[] failures = ["status=deferred", "status=bounced", "TLS is required, but", "handshake failure", "SSL_connect error", "SSL_accept error", "TLS library problem", "Cannot start TLS", "fatal:", "panic:"];
        foreach (var (name, log) in new[] { ("sender", sender.Log), ("under test", underTest.Log) })
        {
            var bad = log.Split('\n').Where(l => failures.Any(f => l.Contains(f, StringComparison.Ordinal))).Take(5).ToList();
            Assert.True(bad.Count == 0, $"{name}: {string.Join('\n', bad)}");
        }

        // Both certificates were served during the run (the sender logs the server's signature per connection).
        Assert.Contains("server-signature ECDSA", sender.Log, StringComparison.Ordinal);
        Assert.Contains("server-signature RSA", sender.Log, StringComparison.Ordinal);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"without reloads: {baseline.Delivered} messages in {baseline.Elapsed.TotalSeconds:0.0} s = {baseline.Rate:0.0} msg/s, longest stall {baseline.LongestStall.TotalMilliseconds:0} ms"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"with {Reloads} reloads (apply started/returned at {string.Join(", ", reloadedAt.Select(r => $"{r.Before}/{r.After}"))} delivered): {loaded.Delivered} messages in {loaded.Elapsed.TotalSeconds:0.0} s = {loaded.Rate:0.0} msg/s, longest stall {loaded.LongestStall.TotalMilliseconds:0} ms"));
    }
}
