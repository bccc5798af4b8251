using System.Text.RegularExpressions;

namespace PostfixConfig.IntegrationTests.Support;

/// <content>What <c>openssl s_client</c> sees, as the judge of <c>postfix-config probe</c>.</content>
internal static partial class OpenSsl
{
    /// <summary>One s_client session: the negotiated protocol and cipher (OpenSSL's names) and the served certificates.</summary>
    public sealed record ClientSession(string? Protocol, string? Cipher, IReadOnlyList<string> Certificates, string Output);

    /// <summary>
    /// Two <c>openssl s_client -connect 127.0.0.1:PORT [-starttls smtp] -servername NAME</c> sessions:
    /// one with <c>-brief</c> for the negotiated protocol and cipher, one with <c>-showcerts</c> for
    /// the served certificates (<c>-brief</c> prints none); optionally offering only
    /// <paramref name="protocol"/> (an s_client switch such as <c>tls1</c>; below TLS 1.2 with
    /// <c>-cipher DEFAULT@SECLEVEL=0</c>, as the probe runs).
    /// </summary>
    public static ClientSession Session(int port, bool startTls, string serverName, string? protocol = null)
    {
        var args = new List<string> { "s_client", "-connect", $"127.0.0.1:{port}", "-servername", serverName };
        if (startTls)
        {
            args.AddRange(["-starttls", "smtp"]);
        }

        if (protocol is not null)
        {
            args.Add("-" + protocol);
            if (protocol is "tls1" or "tls1_1")
            {
                args.AddRange(["-cipher", "DEFAULT@SECLEVEL=0"]);
            }
        }

        List<string> brief = [.. args, "-brief"];
        List<string> showCerts = [.. args, "-showcerts"];
        var b = SClient(brief);
        var c = SClient(showCerts);
        var negotiated = ProtocolVersionPattern().Match(b.Output);
        var cipher = CiphersuitePattern().Match(b.Output);
        var certificates = PemPattern().Matches(c.StdOut).Select(m => m.Value).ToList();
        return new ClientSession(negotiated.Success ? negotiated.Groups[1].Value : null, cipher.Success ? cipher.Groups[1].Value : null,
            certificates, Transcript(brief, b) + "\n" + Transcript(showCerts, c));
    }

    /// <summary>The IANA name of an OpenSSL cipher name (<c>openssl ciphers -stdname</c>); TLS 1.3 names are the same in both.</summary>
    public static string StandardCipherName(string openSslName)
    {
        var r = Proc.Run(LiveEnvironment.OpenSsl, ["ciphers", "-stdname", "ALL:COMPLEMENTOFALL:@SECLEVEL=0"]);
        Assert.True(r.ExitCode == 0, $"openssl ciphers -stdname failed: {r.Output}");
        foreach (var line in r.StdOut.Split('\n'))
        {
            // "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 - ECDHE-RSA-AES256-GCM-SHA384 TLSv1.2 Kx=ECDH ..."
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length >= 3 && words[1] == "-" && words[2] == openSslName)
            {
                return words[0];
            }
        }

        return openSslName;
    }

    /// <summary>The SHA-256 fingerprint of a PEM certificate's public key (DER SubjectPublicKeyInfo), as AA:BB:...</summary>
    public static string PublicKeySha256Fingerprint(string pem)
    {
        var key = Proc.Run(LiveEnvironment.OpenSsl, ["x509", "-noout", "-pubkey"], stdin: pem);
        Assert.True(key.ExitCode == 0, $"openssl x509 -pubkey failed: {key.Output}");
        var digest = Proc.Run("/bin/sh", ["-c", $"{LiveEnvironment.OpenSsl} pkey -pubin -outform DER | {LiveEnvironment.OpenSsl} dgst -sha256 -r"], stdin: key.StdOut);
        Assert.True(digest.ExitCode == 0, $"openssl pkey | dgst failed: {digest.Output}");
        var hex = digest.StdOut.Split(' ')[0].Trim();
        return string.Join(':', Enumerable.Range(0, hex.Length / 2).Select(i => hex.Substring(i * 2, 2).ToUpperInvariant()));
    }

    // -brief prints "Ciphersuite: ECDHE-RSA-AES256-GCM-SHA384" (OpenSSL's name).
    [GeneratedRegex(@"^Ciphersuite: (\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex CiphersuitePattern();
}
