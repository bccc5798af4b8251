using System.Globalization;
using System.Text;
using PostfixConfig.ReleaseTests.Support;

namespace PostfixConfig.ReleaseTests.Differential;

/// <summary>Where a case is tried on the wire.</summary>
internal enum Probe
{
    /// <summary>STARTTLS on the port 25 listener (main.cf's smtpd settings).</summary>
    Server,

    /// <summary>STARTTLS on a submission listener whose <c>-o</c> options make TLS mandatory.</summary>
    Submission,

    /// <summary>A message through the SMTP client to a receiving smtpd of the same instance.</summary>
    Client,
}

/// <summary>A policy table entry for the receiver's next hop (<c>[127.0.0.1]:PORT</c>).</summary>
/// <param name="Level">The security level word.</param>
/// <param name="Attributes">Attribute names and values, in order.</param>
internal sealed record PolicyEntry(string Level, IReadOnlyList<(string Name, string Value)> Attributes);

/// <summary>
/// One generated configuration: settings laid over the base (server TLS with the test certificate at
/// level may; for client cases a relayhost to the receiver and opportunistic client TLS), an optional
/// policy entry, optional submission overrides, where it is tried, and whether TLS is meant to work there.
/// </summary>
internal sealed record DiffCase(
    string Id,
    string Dimension,
    string Description,
    IReadOnlyList<(string Name, string Value)> Main,
    Probe Probe,
    bool ExpectTls,
    PolicyEntry? Policy = null,
    IReadOnlyList<(string Name, string Value)>? Submission = null,
    IReadOnlyList<string>? DropFromBase = null)
{
    public const string PolicyFile = "tls_policy";

    /// <summary>The listener ports and the config folder the files are written for.</summary>
    internal sealed record Layout(string ConfigDirectory, int Smtpd, int Submission, int Receiver);

    /// <summary>The base settings every case starts from.</summary>
    public IReadOnlyList<(string Name, string Value)> Base(Layout layout)
    {
        var pki = ReleasePki.Instance;
        var settings = new List<(string, string)>
        {
            ("smtpd_tls_chain_files", $"{pki.KeyFile}, {pki.ChainFile}"),
            ("smtpd_tls_security_level", "may"),
            ("smtpd_tls_loglevel", "1"),
        };
        if (Probe == Probe.Client)
        {
            settings.Add(("relayhost", string.Create(CultureInfo.InvariantCulture, $"[127.0.0.1]:{layout.Receiver}")));
            settings.Add(("smtp_tls_security_level", "may"));
            settings.Add(("smtp_tls_loglevel", "1"));
            if (Policy is not null)
            {
                settings.Add(("smtp_tls_policy_maps", $"hash:{Path.Combine(layout.ConfigDirectory, PolicyFile)}"));
            }
        }

        return settings;
    }

    /// <summary>Every main.cf setting of the case (harness, base, then the case's own; a later one replaces an earlier of the same name).</summary>
    public List<(string Name, string Value)> Settings(IReadOnlyList<(string Name, string Value)> harness, Layout layout)
    {
        var result = new List<(string Name, string Value)>();
        foreach (var (name, value) in harness.Concat(Base(layout).Where(b => DropFromBase?.Contains(b.Name) != true)).Concat(Main))
        {
            result.RemoveAll(s => s.Name == name);
            result.Add((name, value));
        }

        return result;
    }

    /// <summary>The next hop the policy entry is for.</summary>
    public static string PolicyKey(Layout layout) => string.Create(CultureInfo.InvariantCulture, $"[127.0.0.1]:{layout.Receiver}");

    /// <summary>The overrides of the submission listener (mandatory TLS, its own log name, then the case's).</summary>
    public List<(string Name, string Value)> SubmissionOverrides()
    {
        var result = new List<(string Name, string Value)> { ("syslog_name", "postfix/submission"), ("smtpd_tls_security_level", "encrypt") };
        foreach (var (name, value) in Submission ?? [])
        {
            result.RemoveAll(s => s.Name == name);
            result.Add((name, value));
        }

        return result;
    }

    /// <summary>The master.cf listeners of the case.</summary>
    public List<string> Listeners(Layout layout)
    {
        var pki = ReleasePki.Instance;
        var listeners = new List<string> { ReleaseInstance.Listener(layout.Smtpd, []) };
        if (Probe == Probe.Submission)
        {
            listeners.Add(ReleaseInstance.Listener(layout.Submission, SubmissionOverrides()));
        }

        if (Probe == Probe.Client)
        {
            // The receiver has its own TLS settings, so only the client side of the case is tried.
            listeners.Add(ReleaseInstance.Listener(layout.Receiver,
            [
                ("syslog_name", "postfix-receiver"),
                ("smtpd_tls_security_level", "may"),
                ("smtpd_tls_chain_files", $"{pki.KeyFile},{pki.ChainFile}"),
                ("content_filter", "discard:accepted-by-receiver"),
            ]));
        }

        return listeners;
    }

    /// <summary>The policy table source line.</summary>
    public string PolicyLine(Layout layout) =>
        Policy is null ? string.Empty : PolicyKey(layout) + " " + string.Join(' ', new[] { Policy.Level }.Concat(Policy.Attributes.Select(a => $"{a.Name}={a.Value}"))) + "\n";

    /// <summary>The case as the library reads it: the same settings, policy entry and submission service, for <paramref name="release"/>.</summary>
    public string Yaml(ReleaseTree release, IReadOnlyList<(string Name, string Value)> harness, Layout layout)
    {
        ArgumentNullException.ThrowIfNull(release);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"postfix_version: {Quote(release.MailVersion)}\n");
        sb.Append(CultureInfo.InvariantCulture, $"openssl_version: {Quote(OpenSslClient.LibraryVersion)}\n");
        sb.Append("main:\n");
        foreach (var (name, value) in Settings(harness, layout))
        {
            sb.Append("  ").Append(name).Append(": ").Append(Quote(value)).Append('\n');
        }

        if (Policy is not null)
        {
            sb.Append("tls_policy:\n  ").Append(Quote(PolicyKey(layout))).Append(":\n    level: ").Append(Quote(Policy.Level)).Append('\n');
            foreach (var (name, value) in Policy.Attributes)
            {
                sb.Append("    ").Append(name).Append(": ").Append(Quote(value)).Append('\n');
            }
        }

        if (Probe == Probe.Submission)
        {
            sb.Append("services:\n  submission:\n    listen: ").Append(Quote(string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{layout.Submission}"))).Append('\n');
            foreach (var (name, value) in SubmissionOverrides())
            {
                sb.Append("    ").Append(name).Append(": ").Append(Quote(value)).Append('\n');
            }
        }

        return sb.ToString();
    }

    public override string ToString() => $"{Id} [{Dimension}] {Description}";

    private static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
