using System.Globalization;
using System.Net;
using System.Net.Sockets;
using PostfixConfig.Diagnostics;
using PostfixConfig.Probe.Native;

namespace PostfixConfig.Probe;

/// <summary>How a session starts TLS: decided, or to be found out (<c>--starttls auto</c> on a port other than 465).</summary>
internal enum SessionStart
{
    StartTls,
    Implicit,
    Detect,
}

/// <summary>What one SMTP session gave: the plain-text part, the TLS session, and a failure after the handshake.</summary>
/// <param name="Banner">The greeting, or null when none came (implicit TLS, a server that never greets).</param>
/// <param name="Extensions">The EHLO keywords before TLS (with implicit TLS, those after it).</param>
/// <param name="StartTlsOffered">Whether the EHLO reply offered STARTTLS.</param>
/// <param name="Tls">The TLS session, or null (STARTTLS not offered).</param>
/// <param name="ExtensionsAfterTls">The EHLO keywords after STARTTLS.</param>
/// <param name="AfterTls">What failed after the handshake had completed (the chain is still reported).</param>
/// <param name="Implicit">Whether TLS started with the first byte.</param>
/// <param name="Resumable">The OpenSSL session for a resumption attempt (the caller frees it), or 0.</param>
internal sealed record SessionResult(SmtpReply? Banner, IReadOnlyList<string> Extensions, bool StartTlsOffered, NegotiatedSession? Tls,
    IReadOnlyList<string> ExtensionsAfterTls, ProbeException? AfterTls, bool Implicit, nint Resumable = 0);

/// <summary>
/// One SMTP session on its own connection, ended with QUIT: greeting, EHLO, STARTTLS or implicit
/// TLS (or finding out which, <see cref="SessionStart.Detect"/>), the handshake, and for the main
/// session EHLO again over TLS. A failure after the handshake does not lose the handshake: it is
/// returned beside it.
/// </summary>
internal static class SmtpSession
{
    /// <summary>How long <c>--starttls auto</c> waits for a plain-text greeting before it offers a ClientHello instead.</summary>
    public static readonly TimeSpan GreetingWait = TimeSpan.FromMilliseconds(1500);

    public sealed record Target(IPEndPoint Endpoint, string Peer, string? ServerName, string Helo, ProbeOptions Options);

    /// <summary>
    /// Runs one session; <paramref name="full"/> for the main session (EHLO over TLS, OCSP requested, the
    /// session kept for resumption when asked), <paramref name="resume"/> a session to offer;
    /// <paramref name="known"/> is told how the session starts once that is settled (after the connection
    /// is open; with detection, after a greeting or, for a silent server, after the implicit TLS handshake).
    /// </summary>
    public static async Task<SessionResult> RunAsync(Target target, SessionStart start, TlsClientContext context, bool full, CancellationToken cancellation,
        nint resume = 0, Action<SessionStart>? known = null)
    {
        var options = target.Options;
        await using var connection = await SmtpConnection.OpenAsync(target.Endpoint, target.Peer, options.Timeout, cancellation).ConfigureAwait(false);
        TimeSpan? silence = null;
        if (start == SessionStart.Detect)
        {
            var wait = GreetingWait < options.Timeout ? GreetingWait : options.Timeout / 2;
            start = await connection.PeekFirstAsync(wait, cancellation).ConfigureAwait(false) switch
            {
                // Bytes of any kind before a ClientHello: the server talks first, so it is read as SMTP
                // (a TLS server never talks first; what it sent is then shown as not SMTP).
                FirstByte.Text or FirstByte.Tls => SessionStart.StartTls,
                _ => SessionStart.Implicit,
            };
            silence = start == SessionStart.Implicit ? wait : null;
        }

        if (silence is null)
        {
            known?.Invoke(start);
        }

        return start == SessionStart.Implicit
            ? await ImplicitAsync(connection, target, context, full, resume, silence, silence is null ? null : known, cancellation).ConfigureAwait(false)
            : await StartTlsAsync(connection, target, context, full, resume, cancellation).ConfigureAwait(false);
    }

    private static async Task<SessionResult> ImplicitAsync(SmtpConnection connection, Target target, TlsClientContext context, bool full, nint resume,
        TimeSpan? silence, Action<SessionStart>? known, CancellationToken cancellation)
    {
        var hint = target.Options.StartTls == StartTlsMode.No ? "Without --starttls no, the probe finds out whether the port greets in plain text." : null;
        NegotiatedSession handshake;
        try
        {
            handshake = await connection.HandshakeAsync(context, target.ServerName, full, "at the start of the connection (implicit TLS)", cancellation, null, resume)
                .ConfigureAwait(false);
            known?.Invoke(SessionStart.Implicit);
        }
        catch (ProbeException e) when (silence is { } waited && e.Code == DiagnosticCodes.ProbeTimeout && e.FirstBytes is null)
        {
            // Silent in plain text and silent to a ClientHello: a server that never talks.
            throw new ProbeException(DiagnosticCodes.ProbeTimeout, string.Create(CultureInfo.InvariantCulture,
                $"{target.Peer} sent no greeting within {waited.TotalSeconds:0.###} s, and did not answer a TLS ClientHello (implicit TLS) within {target.Options.Timeout.TotalSeconds:0.###} s either."), e)
            { InHandshake = true };
        }
        catch (ProbeException e) when (e.FirstBytes is { } first && first.Length >= 3 && char.IsAsciiDigit(first[0]) && char.IsAsciiDigit(first[1]))
        {
            throw new ProbeException(DiagnosticCodes.ProbeTlsFailed,
                $"{target.Peer} greets in plain text (\"{SmtpConnection.Show(first.Split('\r', '\n')[0])}\"), not with TLS: it speaks SMTP first.{(hint is null ? string.Empty : " Probe it with --starttls auto or yes.")}", e)
            { InHandshake = true, FirstBytes = first, PlainGreeting = true };
        }

        SmtpReply? banner = null;
        IReadOnlyList<string> extensions = [];
        ProbeException? after = null;
        try
        {
            banner = await Greeting(connection, "over TLS", cancellation).ConfigureAwait(false);
            extensions = full ? await EhloAsync(connection, target.Helo, "over TLS", cancellation).ConfigureAwait(false) : [];
            await connection.QuitAsync(cancellation).ConfigureAwait(false);
        }
        catch (ProbeException e)
        {
            after = e;
        }

        return new SessionResult(banner, extensions, false, handshake, [], after, Implicit: true, Keep(connection, full, target.Options));
    }

    private static async Task<SessionResult> StartTlsAsync(SmtpConnection connection, Target target, TlsClientContext context, bool full, nint resume,
        CancellationToken cancellation)
    {
        var options = target.Options;
        var banner = await Greeting(connection, string.Empty, cancellation).ConfigureAwait(false);
        var extensions = await EhloAsync(connection, target.Helo, string.Empty, cancellation).ConfigureAwait(false);
        var offered = extensions.Any(e => e.Equals("STARTTLS", StringComparison.OrdinalIgnoreCase));
        if (!offered && options.StartTls != StartTlsMode.Yes && full)
        {
            await connection.QuitAsync(cancellation).ConfigureAwait(false);
            return new SessionResult(banner, extensions, false, null, [], null, Implicit: false);
        }

        await connection.SendAsync("STARTTLS", cancellation).ConfigureAwait(false);
        var reply = await connection.ReadReplyAsync("the reply to STARTTLS", cancellation).ConfigureAwait(false);
        if (reply.Code != 220)
        {
            await connection.QuitAsync(cancellation).ConfigureAwait(false);
            throw new ProbeException(DiagnosticCodes.ProbeSmtpRejected,
                $"{target.Peer} answered STARTTLS with \"{reply.Text}\"{(offered ? string.Empty : " (its EHLO reply does not offer STARTTLS)")}; no TLS session was possible.");
        }

        var handshake = await connection.HandshakeAsync(context, target.ServerName, full, "after STARTTLS", cancellation, null, resume).ConfigureAwait(false);
        IReadOnlyList<string> after = [];
        ProbeException? failure = null;
        try
        {
            after = full ? await EhloAsync(connection, target.Helo, "over TLS", cancellation).ConfigureAwait(false) : [];
            await connection.QuitAsync(cancellation).ConfigureAwait(false);
        }
        catch (ProbeException e)
        {
            failure = e;
        }

        return new SessionResult(banner, extensions, offered, handshake, after, failure, Implicit: false, Keep(connection, full, options));
    }

    /// <summary>The session to offer again (read after the server's first reply over TLS, so TLS 1.3 tickets have arrived).</summary>
    private static nint Keep(SmtpConnection connection, bool full, ProbeOptions options) =>
        full && options.CheckResumption && connection.TlsHandle != 0 ? LibSsl.SSL_get1_session(connection.TlsHandle) : 0;

    private static async Task<SmtpReply> Greeting(SmtpConnection connection, string where, CancellationToken cancellation)
    {
        var what = where.Length == 0 ? "the greeting" : "the greeting " + where;
        var banner = await connection.ReadReplyAsync(what, cancellation).ConfigureAwait(false);
        if (banner.Code != 220)
        {
            await connection.QuitAsync(cancellation).ConfigureAwait(false);
            throw new ProbeException(DiagnosticCodes.ProbeSmtpRejected, $"{connection.Peer} refused the session: \"{banner.Text}\".");
        }

        return banner;
    }

    private static async Task<IReadOnlyList<string>> EhloAsync(SmtpConnection connection, string helo, string where, CancellationToken cancellation)
    {
        await connection.SendAsync("EHLO " + helo, cancellation).ConfigureAwait(false);
        var what = where.Length == 0 ? "the reply to EHLO" : "the reply to EHLO " + where;
        var reply = await connection.ReadReplyAsync(what, cancellation).ConfigureAwait(false);
        if (reply.Code != 250)
        {
            await connection.QuitAsync(cancellation).ConfigureAwait(false);
            throw new ProbeException(DiagnosticCodes.ProbeSmtpRejected, $"{connection.Peer} answered EHLO {helo} with \"{reply.Text}\"; without EHLO there is no STARTTLS.");
        }

        // The first line is the server's name and greeting; the others are the extensions.
        return [.. reply.Lines.Skip(1).Select(l => SmtpConnection.Show(l.Trim()))];
    }

    /// <summary>This machine's host name for EHLO (<c>localhost</c> when it is not a plain name).</summary>
    public static string HeloName()
    {
        try
        {
            var name = System.Net.Dns.GetHostName();
            return name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.') ? name : "localhost";
        }
        catch (SocketException)
        {
            return "localhost";
        }
    }
}
