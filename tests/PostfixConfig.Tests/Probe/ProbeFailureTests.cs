using System.Net;
using System.Net.Sockets;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Probe;

/// <summary>
/// Servers that fail the probe, each a small loopback server the test starts: every failure is one
/// line on stderr with its code and exit code 2, nothing on stdout, within the timeout (each run is
/// bounded here by a generous deadline, so a probe that hangs fails the test instead of hanging it).
/// </summary>
public class ProbeFailureTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private static async Task<CliRunner.CliResult> Probe(int port, params string[] more) =>
        await Task.Run(() => CliRunner.Run(["probe", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--timeout", "1", .. more]))
            .WaitAsync(Deadline);

    /// <summary>Exit code 2, nothing on stdout, exactly one line on stderr: <c>error CODE: ...</c> containing <paramref name="text"/>.</summary>
    private static void AssertOneFailureLine(CliRunner.CliResult r, string code, string text)
    {
        Assert.True(r.ExitCode == 2, $"exit code {r.ExitCode}\n{r.StdOut}\n{r.StdErr}");
        Assert.Empty(r.StdOut);
        var line = Assert.Single(r.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error {code}: ", line, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1 port ", line, StringComparison.Ordinal);
        Assert.Contains(text, line, StringComparison.Ordinal);
    }

    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [Fact]
    public async Task Probe_ClosedPort_ConnectionRefused()
    {
        var port = ClosedPort();

        AssertOneFailureLine(await Probe(port), "PFX8001", $"127.0.0.1 port {port}: the connection was refused");
    }

    [Fact]
    public async Task Probe_ServerNeverAnswers_TimesOutWaitingForTheGreeting()
    {
        await using var server = new ScriptedSmtpServer(s => s.Silence());

        AssertOneFailureLine(await Probe(server.Port), "PFX8002", "sent no greeting within 0.5 s, and did not answer a TLS ClientHello (implicit TLS) within 1 s either");
    }

    [Fact]
    public async Task Probe_DropsTheConnectionAfterStartTls_ClosedDuringTheHandshake()
    {
        await using var server = new ScriptedSmtpServer(async s =>
        {
            await s.GreetAndEhlo();
            await s.Read(); // STARTTLS
            await s.Send("220 2.0.0 Ready to start TLS\r\n");
        }); // the script ends: the connection closes

        AssertOneFailureLine(await Probe(server.Port), "PFX8003", "closed the connection during the TLS handshake after STARTTLS");
        Assert.Equal(["EHLO", "STARTTLS"], server.Received.Select(c => c.Split(' ')[0]));
    }

    [Theory]
    [InlineData("HTTP/1.1 400 Bad Request\r\n\r\n", "sent \"HTTP/1.1 400 Bad Request\" instead of the greeting")]
    [InlineData("\u0016\u0003\u0001\u0000\u00ff\r\n", "sent \"\\x16\\x03\\x01\\x00\\xFF\" instead of the greeting")]
    [InlineData("SSH-2.0-OpenSSH_9.2\r\n", "sent \"SSH-2.0-OpenSSH_9.2\" instead of the greeting")]
    [InlineData("2200 almost\r\n", "instead of the greeting")]
    public async Task Probe_GarbageInsteadOfAReply_NotSmtp(string garbage, string text)
    {
        await using var server = new ScriptedSmtpServer(async s =>
        {
            await s.Send(garbage);
            await s.Silence();
        });

        AssertOneFailureLine(await Probe(server.Port), "PFX8004", text);
    }

    [Fact]
    public async Task Probe_EndlessMultilineReply_IsCutOffAsNotSmtp()
    {
        await using var server = new ScriptedSmtpServer(async s =>
        {
            await s.Send("220 scripted.test ESMTP\r\n");
            await s.Read();
            for (var i = 0; i < 10_000 && !s.Token.IsCancellationRequested; i++)
            {
                await s.Send("250-AGAIN\r\n");
            }
        });

        AssertOneFailureLine(await Probe(server.Port), "PFX8004", "more than 200 lines in the reply to EHLO");
    }

    [Fact]
    public async Task Probe_OverlongLine_IsCutOffAsNotSmtp()
    {
        await using var server = new ScriptedSmtpServer(async s =>
        {
            await s.Send("220 " + new string('x', 100_000));
            await s.Silence();
        });

        AssertOneFailureLine(await Probe(server.Port), "PFX8004", "a line of more than 2048 bytes in the greeting");
    }

    [Fact]
    public async Task Probe_ClosesInTheMiddleOfAReply_ConnectionClosed()
    {
        await using var server = new ScriptedSmtpServer(async s =>
        {
            await s.Send("220 scripted.test ESMTP\r\n");
            await s.Read();
            await s.Send("250-scripted.test\r\n250-PIPEL");
        });

        AssertOneFailureLine(await Probe(server.Port), "PFX8003", "closed the connection in the middle of the reply to EHLO");
    }

    [Fact]
    public async Task Probe_RejectingGreeting_SaysSoAndQuits()
    {
        await using var server = new ScriptedSmtpServer(async s =>
        {
            await s.Send("554 5.7.1 go away\r\n");
            await s.Read();
            await s.Send("221 bye\r\n");
        });

        AssertOneFailureLine(await Probe(server.Port), "PFX8005", "refused the session: \"554 5.7.1 go away\"");
        Assert.Equal(["QUIT"], server.Received);
    }

    [Fact]
    public async Task Probe_StartTlsRefused_SaysWhatTheServerAnswered()
    {
        await using var server = new ScriptedSmtpServer(async s =>
        {
            await s.GreetAndEhlo();
            await s.Read();
            await s.Send("454 4.7.0 TLS not available due to local problem\r\n");
            await s.Read();
            await s.Send("221 bye\r\n");
        });

        AssertOneFailureLine(await Probe(server.Port), "PFX8005", "answered STARTTLS with \"454 4.7.0 TLS not available due to local problem\"");
        Assert.Equal(["EHLO", "STARTTLS", "QUIT"], server.Received.Select(c => c.Split(' ')[0]));
    }

    [Fact]
    public async Task Probe_DataAfterTheStartTlsReply_IsRefusedAsInjection()
    {
        await using var server = new ScriptedSmtpServer(async s =>
        {
            await s.GreetAndEhlo();
            await s.Read();
            await s.Send("220 2.0.0 Ready to start TLS\r\n250 injected\r\n");
            await s.Silence();
        });

        AssertOneFailureLine(await Probe(server.Port), "PFX8004", "sent data after its reply to STARTTLS, before the TLS handshake");
    }

    [Fact]
    public async Task Probe_SilentAfterStartTls_TimesOutInTheHandshake()
    {
        await using var server = new ScriptedSmtpServer(async s =>
        {
            await s.GreetAndEhlo();
            await s.Read();
            await s.Send("220 2.0.0 Ready to start TLS\r\n");
            await s.Silence();
        });

        AssertOneFailureLine(await Probe(server.Port), "PFX8002", "did not complete the TLS handshake after STARTTLS within 1 s");
    }

    [Fact]
    public async Task Probe_PlainTextAnswerToImplicitTls_HandshakeFailsWithAHint()
    {
        await using var server = new ScriptedSmtpServer(async s =>
        {
            await s.Send("220 scripted.test ESMTP\r\n");
            await s.Silence();
        });

        AssertOneFailureLine(await Probe(server.Port, "--starttls", "no"), "PFX8006", "greets in plain text (\"220 scripted.test ESMTP\"), not with TLS: it speaks SMTP first. Probe it with --starttls auto or yes.");
    }

    [Fact]
    public async Task Probe_StartTlsNotOffered_WarnsExits0AndEndsPolitelyWithQuit()
    {
        await using var server = new ScriptedSmtpServer(async s =>
        {
            await s.GreetAndEhlo(offerStartTls: false);
            await s.Read();
            await s.Send("221 bye\r\n");
        });

        var r = await Probe(server.Port);

        Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
        Assert.Contains("starttls:   not offered", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("tls:        none", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("warning PFX8007:", r.StdOut, StringComparison.Ordinal);
        Assert.Equal(["EHLO", "QUIT"], server.Received.Select(c => c.Split(' ')[0])); // no MAIL, no RCPT: nothing is sent
    }

    [Fact]
    public async Task Probe_StartTlsNotOfferedWithExpectTls_Exits1()
    {
        await using var server = new ScriptedSmtpServer(async s =>
        {
            await s.GreetAndEhlo(offerStartTls: false);
            await s.Read();
            await s.Send("221 bye\r\n");
        });

        Assert.Equal(1, (await Probe(server.Port, "--expect-tls")).ExitCode);
    }

    [Fact]
    public async Task Probe_StartTlsNotOfferedWithExpectTlsAndRecords_DaneClientDefersExit1()
    {
        await using var server = new ScriptedSmtpServer(async s =>
        {
            await s.GreetAndEhlo(offerStartTls: false);
            await s.Read();
            await s.Send("221 bye\r\n");
        });

        var r = await Probe(server.Port, "--expect-tls", "--tlsa", "3 1 1 " + new string('a', 64), "--format", "json");

        Assert.Equal(1, r.ExitCode);
        using var json = System.Text.Json.JsonDocument.Parse(r.StdOut);
        Assert.Equal("no-tls", json.RootElement.GetProperty("dane").GetProperty("verdict").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, json.RootElement.GetProperty("tls").ValueKind);
    }
}
