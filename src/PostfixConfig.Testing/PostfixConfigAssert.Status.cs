using System.Runtime.CompilerServices;
using PostfixConfig.Status;

namespace PostfixConfig.Testing;

/// <summary>The TLS status questions: the same answer as <c>postfix-config status</c>, on what the configuration renders.</summary>
public static partial class PostfixConfigAssert
{
    /// <summary>
    /// Renders <paramref name="config"/> into a scratch folder and reads it back as Postfix would apply it
    /// (<see cref="PostfixTls.Status"/>, the model of <c>postfix-config status</c>): every listener's TLS
    /// (off, offered, required, implicit) and the SMTP client's level.
    /// </summary>
    /// <param name="config">The configuration.</param>
    /// <param name="release">The Postfix release, overriding the configuration's; <see langword="null"/> for its own.</param>
    /// <param name="label">The host or configuration name for messages.</param>
    /// <param name="expression">Filled in by the compiler.</param>
    /// <returns>The TLS status of the rendered files.</returns>
    /// <exception cref="PostfixConfigAssertionException">The configuration does not render, or its files cannot be read back.</exception>
    public static TlsStatus TlsStatus(
        this TlsConfiguration config,
        PostfixVersion? release = null,
        string? label = null,
        [CallerArgumentExpression(nameof(config))] string? expression = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var name = Label(config, label, expression);
        var target = release is { } r ? config with { PostfixVersion = r } : config;
        var rendered = target.ShouldRender(label: name);
        var dir = Directory.CreateTempSubdirectory("postfixconfig-status-");
        try
        {
            foreach (var file in rendered.Files)
            {
                File.WriteAllText(Path.Combine(dir.FullName, file.FileName), file.Content);
            }

            var status = PostfixTls.Status(Path.Combine(dir.FullName, "main.cf"), StatusOptions.Default with { PostfixVersion = target.PostfixVersion });
            if (status.Diagnostics.HasErrors)
            {
                throw Failure(name, "its rendered files cannot be read back", status.Diagnostics.Errors);
            }

            return status;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>Asserts that the listener <paramref name="service"/> (as master.cf names it: smtp, submission, ...) has TLS <paramref name="expected"/>.</summary>
    /// <param name="config">The configuration.</param>
    /// <param name="service">The master.cf service name.</param>
    /// <param name="expected">The TLS it must have.</param>
    /// <param name="label">The host or configuration name for messages.</param>
    /// <param name="expression">Filled in by the compiler.</param>
    /// <returns>The listener.</returns>
    /// <exception cref="PostfixConfigAssertionException">No such listener, or its TLS differs (the message says why, with the level and where it was set).</exception>
    public static InboundListener ShouldHaveInboundTls(
        this TlsConfiguration config,
        string service,
        InboundTls expected,
        string? label = null,
        [CallerArgumentExpression(nameof(config))] string? expression = null)
    {
        ArgumentNullException.ThrowIfNull(service);
        var name = Label(config, label, expression);
        var status = config.TlsStatus(label: name);
        var listener = status.Inbound.FirstOrDefault(l => l.Service == service)
            ?? throw new PostfixConfigAssertionException($"{name}: master.cf has no listener '{service}' (it has {string.Join(", ", status.Inbound.Select(l => l.Service))}).");
        if (listener.Tls != expected)
        {
            throw new PostfixConfigAssertionException(
                $"{name}: {service} (port {listener.Port?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}): TLS is {Word(listener.Tls)}, expected {Word(expected)}: {listener.Reason} [{listener.Level.Parameter} = {listener.Level.Value}, {listener.Level.Origin}]");
        }

        return listener;
    }

    /// <summary>Asserts that the SMTP client never sends without TLS: its effective level is one that requires TLS (encrypt, dane-only, verify, secure, fingerprint) or DANE with DNSSEC.</summary>
    /// <param name="config">The configuration.</param>
    /// <param name="label">The host or configuration name for messages.</param>
    /// <param name="expression">Filled in by the compiler.</param>
    /// <returns>The SMTP client's status.</returns>
    /// <exception cref="PostfixConfigAssertionException">The client may send in plain text (level none or may, or dane without DNSSEC).</exception>
    public static OutboundStatus ShouldNeverSendWithoutTls(
        this TlsConfiguration config,
        string? label = null,
        [CallerArgumentExpression(nameof(config))] string? expression = null)
    {
        var name = Label(config, label, expression);
        var outbound = config.TlsStatus(label: name).Outbound;
        var level = outbound.Level.Value;
        var mandatory = level is "encrypt" or "dane-only" or "verify" or "secure" or "fingerprint";
        if (!mandatory)
        {
            throw new PostfixConfigAssertionException(
                $"{name}: the SMTP client may send without TLS: smtp_tls_security_level is {level} ({outbound.Level.Origin}){(level == "dane" ? $", and without a usable TLSA record dane falls back to opportunistic TLS ({(outbound.DaneComplete ? "DANE is complete" : "DANE is incomplete")})" : string.Empty)}: {outbound.Reason}");
        }

        return outbound;
    }

    private static string Word(InboundTls tls) => tls.ToString().ToLowerInvariant();
}
