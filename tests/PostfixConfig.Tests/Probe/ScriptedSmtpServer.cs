using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace PostfixConfig.Tests.Probe;

/// <summary>
/// A tiny TCP server on 127.0.0.1 that the test starts itself: it accepts one connection and runs
/// a script (write lines, read commands, stay silent, close), recording the commands it received.
/// Everything is bounded: the script gets a 60-second token, and disposing stops it.
/// </summary>
internal sealed class ScriptedSmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromSeconds(60));
    private readonly Task _run;
    private readonly List<string> _received = [];

    public ScriptedSmtpServer(Func<Session, Task> script)
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _run = Task.Run(async () =>
        {
            using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            await using var stream = client.GetStream();
            try
            {
                await script(new Session(stream, this, _stop.Token));
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or System.Security.Authentication.AuthenticationException)
            {
                // the probe went away, or the test is over
            }
        });
    }

    public int Port { get; }

    /// <summary>The commands the probe sent, in order.</summary>
    public IReadOnlyList<string> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _run.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
            // stopped
        }

        _stop.Dispose();
    }

    /// <summary>What a script can do with the connection.</summary>
    internal sealed class Session(NetworkStream network, ScriptedSmtpServer server, CancellationToken token)
    {
        private Stream _stream = network;

        public CancellationToken Token => token;

        public async Task Send(string text) =>
            await _stream.WriteAsync(Encoding.Latin1.GetBytes(text), token);

        /// <summary>Reads one command line (up to LF), or null when the client closed.</summary>
        public async Task<string?> Read()
        {
            var line = new List<byte>();
            var one = new byte[1];
            while (true)
            {
                if (await _stream.ReadAsync(one, token) == 0)
                {
                    return null;
                }

                if (one[0] == '\n')
                {
                    var text = Encoding.Latin1.GetString([.. line]).TrimEnd('\r');
                    lock (server._received)
                    {
                        server._received.Add(text);
                    }

                    return text;
                }

                line.Add(one[0]);
            }
        }

        /// <summary>The usual start: greeting, and an EHLO reply offering (or not) STARTTLS.</summary>
        public async Task GreetAndEhlo(bool offerStartTls = true)
        {
            await Send("220 scripted.test ESMTP\r\n");
            await Read();
            await Send(offerStartTls ? "250-scripted.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n" : "250-scripted.test\r\n250 PIPELINING\r\n");
        }

        /// <summary>The server side of a TLS handshake (SslStream) with <paramref name="certificate"/> (with its key) and the chain after it; the session continues over TLS.</summary>
        public async Task StartTls(X509Certificate2 certificate, params X509Certificate2[] chain)
        {
            var tls = new SslStream(_stream, leaveInnerStreamOpen: false);
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = SslStreamCertificateContext.Create(certificate, [.. chain], offline: true),
            }, token);
            _stream = tls;
        }

        /// <summary>
        /// A whole STARTTLS session as a sender sees it: greeting and EHLO offering STARTTLS, the TLS handshake with
        /// <paramref name="certificate"/> (with its key) and the chain after it, EHLO again over TLS, then QUIT.
        /// </summary>
        public async Task StartTlsSession(X509Certificate2 certificate, params X509Certificate2[] chain)
        {
            await GreetAndEhlo();
            await Read(); // STARTTLS
            await Send("220 2.0.0 Ready to start TLS\r\n");
            await StartTls(certificate, chain);
            await Read(); // EHLO again
            await Send("250-scripted.test\r\n250 PIPELINING\r\n");
            await Read(); // QUIT
            await Send("221 2.0.0 Bye\r\n");
        }

        /// <summary>Waits until the client closes or the test ends.</summary>
        public async Task Silence()
        {
            var buffer = new byte[256];
            while (await _stream.ReadAsync(buffer, token) > 0)
            {
            }
        }
    }
}
