using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace PostfixConfig.IntegrationTests.Support;

/// <summary>
/// One private Postfix on 127.0.0.1 with an smtpd listener per probe scenario (master.cf
/// services with <c>-o</c> overrides), started on first use and shared by the probe tests:
/// <list type="bullet">
/// <item><see cref="Smtp"/>: port-25-like, STARTTLS at level <c>may</c>, the test CA's chain, TLS 1.2 and newer;</item>
/// <item><see cref="Submission"/>: port-587-like, STARTTLS at level <c>encrypt</c>;</item>
/// <item><see cref="Submissions"/>: port-465-like, <c>smtpd_tls_wrappermode = yes</c>;</item>
/// <item><see cref="SelfSigned"/>, <see cref="Expired"/>, <see cref="Misordered"/>: the broken certificates of <see cref="ProbePki"/>;</item>
/// <item><see cref="Tls1"/>: TLS 1.0 and newer allowed (<c>smtpd_tls_protocols = &gt;=TLSv1</c>).</item>
/// </list>
/// </summary>
public sealed class ProbeServers : IDisposable
{
    public const string ServerName = "mail.pfc-test.example";

    private readonly Lazy<Started> _started = new(Start);

    private sealed record Started(PostfixInstance Postfix, TestPki Pki, ProbePki Broken, Dictionary<string, int> Ports);

    internal PostfixInstance Postfix => _started.Value.Postfix;

    internal TestPki Pki => _started.Value.Pki;

    internal ProbePki Broken => _started.Value.Broken;

    public int Smtp => Postfix.SmtpdPort;

    public int Submission => _started.Value.Ports["submission"];

    public int Submissions => _started.Value.Ports["submissions"];

    public int SelfSigned => _started.Value.Ports["selfsigned"];

    public int Expired => _started.Value.Ports["expired"];

    public int Misordered => _started.Value.Ports["misordered"];

    public int Tls1 => _started.Value.Ports["tls1"];

    /// <summary>A loopback port on which nothing listens (it was free a moment ago).</summary>
    public static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public void Dispose()
    {
        if (_started.IsValueCreated)
        {
            _started.Value.Postfix.Dispose();
        }
    }

    private static Started Start()
    {
        var postfix = PostfixInstance.Create();
        try
        {
            var pki = TestPki.Create(postfix.PkiDirectory, ServerName, "PostfixConfig Test CA");
            var broken = ProbePki.Create(Path.Combine(postfix.PkiDirectory, "broken"), ServerName);
            var config = Render.ForInstalledPostfix()
                .Set("smtpd_tls_chain_files", [pki.KeyFile, pki.ChainFile])
                .Set("smtpd_tls_security_level", "may")
                .Set("smtpd_tls_protocols", ">=TLSv1.2")
                .Set("smtpd_tls_mandatory_protocols", ">=TLSv1.2")
                .Set("smtpd_tls_loglevel", "1");

            var ports = new Dictionary<string, int>(StringComparer.Ordinal);
            var services = new List<string>();
            void Service(string name, string overrides)
            {
                var port = FreePort(ports.Values.Append(postfix.SmtpdPort).Append(postfix.ReceiverPort));
                ports[name] = port;
                services.Add(string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port} inet n - n - - smtpd -o syslog_name=postfix-{name} {overrides}"));
            }

            Service("submission", "-o smtpd_tls_security_level=encrypt");
            Service("submissions", "-o smtpd_tls_wrappermode=yes -o smtpd_tls_security_level=encrypt");
            Service("selfsigned", "-o smtpd_tls_chain_files=" + broken.SelfSigned.ChainFiles);
            Service("expired", "-o smtpd_tls_chain_files=" + broken.Expired.ChainFiles);
            Service("misordered", "-o smtpd_tls_chain_files=" + broken.Misordered.ChainFiles);
            Service("tls1", "-o smtpd_tls_protocols=>=TLSv1");
            postfix.Start(Render.Files(config), extraServices: services);
            return new Started(postfix, pki, broken, ports);
        }
        catch
        {
            postfix.Dispose();
            throw;
        }
    }

    private static int FreePort(IEnumerable<int> taken)
    {
        var used = taken.ToHashSet();
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = ClosedPort();
            if (!used.Contains(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException("no free loopback port found");
    }
}
