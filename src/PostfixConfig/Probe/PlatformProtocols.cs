using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PostfixConfig.Probe;

/// <summary>
/// Which protocol versions this process's TLS library (OpenSSL, through SslStream) can negotiate at
/// all: found once per process by a handshake with itself over loopback, for each version alone.
/// OpenSSL 3.0 offers TLS 1.0 and 1.1 only at security level 0 (their handshake signatures use
/// SHA-1, which level 1 refuses since 3.0), and Debian builds it without SSLv3; a version this
/// process cannot negotiate is reported as not testable instead of as refused by the server.
/// </summary>
internal static class PlatformProtocols
{
    /// <summary>The versions a scan tries, oldest first.</summary>
    public static readonly SslProtocols[] ScanOrder = [LegacyProtocols.Ssl3, LegacyProtocols.Tls10, LegacyProtocols.Tls11, SslProtocols.Tls12, SslProtocols.Tls13];

    private static readonly Lazy<Task<IReadOnlyDictionary<SslProtocols, string?>>> Support = new(SelfTestAllAsync);

    /// <summary>For each version of <see cref="ScanOrder"/>: null when this process can negotiate it, else why not.</summary>
    public static Task<IReadOnlyDictionary<SslProtocols, string?>> GetAsync() => Support.Value;

    private static async Task<IReadOnlyDictionary<SslProtocols, string?>> SelfTestAllAsync()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=postfix-config protocol self-test", key, HashAlgorithmName.SHA256);
        var now = DateTimeOffset.UtcNow;
        using var ephemeral = request.CreateSelfSigned(now.AddHours(-1), now.AddHours(1));
        using var certificate = X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
        var result = new Dictionary<SslProtocols, string?>();
        foreach (var protocol in ScanOrder)
        {
            result[protocol] = await SelfTestAsync(protocol, certificate).ConfigureAwait(false) ? null : Reason(protocol);
        }

        return result;
    }

    private static string Reason(SslProtocols protocol)
    {
        var name = SmtpConnection.ProtocolName(protocol);
        var version = OpenSslVersion();
        return protocol == LegacyProtocols.Ssl3
            ? $"this process's OpenSSL{version} does not negotiate SSLv3 (Debian's OpenSSL is built without it), so the server's answer cannot be tested"
            : protocol == LegacyProtocols.Tls10 || protocol == LegacyProtocols.Tls11
            ? $"this process's OpenSSL{version} does not offer {name} at its security level (OpenSSL 3.0 needs level 0 for TLS 1.0 and 1.1; postfix-config probe sets that for its own process, see docs/reference/probe.md), so the server's answer cannot be tested"
            : $"this process's OpenSSL{version} does not negotiate {name}, so the server's answer cannot be tested";
    }

    private static string OpenSslVersion()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsFreeBSD())
        {
            return string.Empty;
        }

        try
        {
            // 0xMNN00PP0L: major, minor, patch (OpenSSL 3 layout).
            var v = SafeEvpPKeyHandle.OpenSslVersion;
            return string.Create(CultureInfo.InvariantCulture, $" {(v >> 28) & 0xF}.{(v >> 20) & 0xFF}.{(v >> 4) & 0xFF}");
        }
        catch (Exception e) when (e is PlatformNotSupportedException or TypeInitializationException or DllNotFoundException or EntryPointNotFoundException)
        {
            return string.Empty;
        }
    }

    private static async Task<bool> SelfTestAsync(SslProtocols protocol, X509Certificate2 certificate)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            using var client = new TcpClient();
            var accept = listener.AcceptTcpClientAsync(limit.Token).AsTask();
            await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port, limit.Token).ConfigureAwait(false);
            using var server = await accept.ConfigureAwait(false);
            await using var serverTls = new SslStream(server.GetStream(), leaveInnerStreamOpen: false);
            await using var clientTls = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
            var serverSide = serverTls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = certificate,
                EnabledSslProtocols = protocol,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            }, limit.Token);
            var clientSide = clientTls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "self-test.invalid",
                EnabledSslProtocols = protocol,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
#pragma warning disable CA5359 // The self-test talks to itself over loopback with a throwaway certificate; only the protocol matters.
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
#pragma warning restore CA5359
            }, limit.Token);
            var both = Task.WhenAll(serverSide, clientSide);
            var first = await Task.WhenAny(serverSide, clientSide).ConfigureAwait(false);
            if (!first.IsCompletedSuccessfully)
            {
                // One side gave up: close both so that the other one ends at once instead of waiting.
                client.Close();
                server.Close();
            }

            await both.ConfigureAwait(false);
            return clientTls.SslProtocol == protocol;
        }
#pragma warning disable CA1031 // Whatever stops this process from completing the handshake with itself means the version is not testable here.
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }
}

/// <summary>
/// The obsolete protocol versions, named once: the probe offers them only to find servers that
/// still accept them (a scan), never for a session it relies on.
/// </summary>
internal static class LegacyProtocols
{
#pragma warning disable CS0618, SYSLIB0039, CA5397 // Obsolete on purpose: a scan must try them to report servers that accept them.
    public const SslProtocols Ssl3 = SslProtocols.Ssl3;
    public const SslProtocols Tls10 = SslProtocols.Tls;
    public const SslProtocols Tls11 = SslProtocols.Tls11;
#pragma warning restore CS0618, SYSLIB0039, CA5397
}
