using PostfixConfig.Diagnostics;

namespace PostfixConfig.Probe;

/// <summary>
/// Findings of the scans as advice that agrees with what our own profiles render for the listener:
/// port 25 is opportunistic TLS (the intermediate profile keeps <c>smtpd_tls_protocols = &gt;=TLSv1</c>
/// and the <c>medium</c> cipher grade there, since refusing an old client only makes it send in
/// plain text), so old protocols and Postfix's anonymous suites there are information; where TLS is
/// mandatory (submission, 587 and 465, and any other port) the profiles require TLS 1.2 and the
/// <c>high</c> grade, so the same findings are warnings that name the parameter that lets them in.
/// </summary>
internal static class ProbeAdvice
{
    public static void Add(SmtpSession.Target target, bool implicitTls, IReadOnlyList<ProtocolProbe> protocols, IReadOnlyList<ProtocolCiphers> ciphers,
        List<Diagnostic> diagnostics)
    {
        var port = target.Options.Port;
        // Submission (587, 465) is where our profiles make TLS mandatory; any other STARTTLS port gets main.cf's opportunistic settings, as port 25.
        var opportunistic = port is not (587 or 465) && !implicitTls;
        var where = port == 25 ? "On port 25" : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"On port {port} (not a submission port, so main.cf's settings for port 25 apply)");
        var peer = target.Peer;
        var old = protocols.Where(r => r.Outcome == ProtocolOutcome.Accepted && r.Protocol is "SSLv3" or "TLSv1" or "TLSv1.1").Select(r => r.Protocol).ToList();
        foreach (var p in protocols.Where(p => p.Outcome == ProtocolOutcome.NotTestable))
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Info, DiagnosticCodes.ProtocolNotTestable, null, $"{p.Protocol} was not tried: {p.Detail}"));
        }

        if (old.Count > 0)
        {
            var list = string.Join(" and ", old);
            diagnostics.Add(opportunistic
                ? new Diagnostic(DiagnosticSeverity.Info, DiagnosticCodes.WeakProtocol, null,
                    $"{peer} accepts {list}. {where} TLS is opportunistic: a sender limited to {list} would otherwise send in plain text, so the intermediate profile keeps smtpd_tls_protocols = >=TLSv1 here (the modern profile sets >=TLSv1.2). No change needed unless you chose the modern profile.")
                : new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.WeakProtocol, null,
                    $"{peer} accepts {list}, obsolete since RFC 8996, on a port where clients log in{(implicitTls ? " (implicit TLS)" : string.Empty)}. Our profiles require TLS 1.2 there: set smtpd_tls_mandatory_protocols = >=TLSv1.2 (Postfix 3.6 and later; before, !SSLv2, !SSLv3, !TLSv1, !TLSv1.1) for this listener{(implicitTls ? " (smtpd_tls_wrappermode = yes makes TLS mandatory)" : " and make TLS mandatory there (-o smtpd_tls_security_level=encrypt); while it is optional, smtpd_tls_protocols applies instead")}."));
        }

        foreach (var group in ciphers.Where(c => c.Outcome == ProtocolOutcome.Accepted))
        {
            var anonymous = group.Suites.Where(s => s.Weaknesses.Contains("anonymous")).Select(s => s.OpenSslName).ToList();
            var tripleDes = group.Suites.Where(s => s.Weaknesses.Contains("3DES") && !s.Weaknesses.Contains("anonymous")).Select(s => s.OpenSslName).ToList();
            var broken = group.Suites.Where(s => s.Weaknesses.Any(w => w is "export" or "RC4" or "null-encryption" or "under-128-bits")).ToList();
            if (anonymous.Count > 0)
            {
                diagnostics.Add(opportunistic
                    ? new Diagnostic(DiagnosticSeverity.Info, DiagnosticCodes.WeakCipher, null,
                        $"{peer} accepts {anonymous.Count} anonymous suite(s) with {group.Protocol} ({string.Join(", ", anonymous)}). Postfix offers them for opportunistic TLS on purpose: only a client that authenticates nothing picks them, and it gets encryption instead of plain text. Our profiles keep them where TLS is opportunistic ({where.ToLowerInvariant()[3..]}).")
                    : new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.WeakCipher, null,
                        $"{peer} accepts {anonymous.Count} anonymous suite(s) with {group.Protocol} ({string.Join(", ", anonymous)}) where clients log in: a man in the middle can read the password. Exclude them for this listener: -o smtpd_tls_mandatory_exclude_ciphers=aNULL (with TLS mandatory) or -o smtpd_tls_exclude_ciphers=aNULL."));
            }

            if (tripleDes.Count > 0)
            {
                diagnostics.Add(new Diagnostic(opportunistic ? DiagnosticSeverity.Info : DiagnosticSeverity.Warning, DiagnosticCodes.WeakCipher, null, opportunistic
                    ? $"{peer} accepts 3DES with {group.Protocol} ({string.Join(", ", tripleDes)}): the medium cipher grade of opportunistic TLS allows it before Postfix 3.8, as the old profile intends; the intermediate profile's clients do not need it."
                    : $"{peer} accepts 3DES with {group.Protocol} ({string.Join(", ", tripleDes)}) where clients log in (64-bit blocks, Sweet32). Set smtpd_tls_mandatory_ciphers = high for this listener (the intermediate profile), with TLS mandatory."));
            }

            if (broken.Count > 0)
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.WeakCipher, null,
                    $"{peer} accepts broken suite(s) with {group.Protocol}: {string.Join(", ", broken.Select(b => $"{b.OpenSslName} ({string.Join(", ", b.Weaknesses)})"))}. No profile allows them: set smtpd_tls_ciphers = medium{(opportunistic ? string.Empty : " and smtpd_tls_mandatory_ciphers = high")} and remove them from tls_medium_cipherlist / smtpd_tls_exclude_ciphers overrides."));
            }
        }

        var notTestable = ciphers.Where(c => c.Outcome == ProtocolOutcome.NotTestable).Select(c => c.Protocol).ToList();
        if (ciphers.Count > 0)
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Info, DiagnosticCodes.ProtocolNotTestable, null,
                "The cipher scan offers every suite this process's OpenSSL has, at security level 0; OpenSSL 3 has no export or RC4 suites (RC4 only in the legacy provider), so a server's acceptance of those cannot be seen here"
                + (notTestable.Count > 0 ? $", nor of {string.Join(" and ", notTestable)}." : ".")));
        }
    }
}
