using PostfixConfig.Diagnostics;

namespace PostfixConfig.Certificates;

/// <summary>The name a server certificate must cover: the name, where it came from, or why it is unknown.</summary>
internal sealed record MailHost(string? Name, string? Source, string? Missing);

/// <summary>Where diagnostics about one parameter (or one SNI table entry) go, with its position.</summary>
internal sealed class CheckContext
{
    private readonly List<Diagnostic> _output;

    public CheckContext(string? parameter, SourceSpan? span, List<Diagnostic> output, CertificateCheckOptions options, bool isServer, MailHost? host)
    {
        Parameter = parameter;
        Span = span;
        _output = output;
        Options = options;
        IsServer = isServer;
        HostName = host?.Name;
        HostNameSource = host?.Source;
        HostNameMissing = host?.Missing;
    }

    /// <summary>The parameter (or <c>tls_server_sni_maps[name]</c>) reported in diagnostics.</summary>
    public string? Parameter { get; }

    public SourceSpan? Span { get; }

    public CertificateCheckOptions Options { get; }

    /// <summary>Whether the credentials serve the SMTP server (names, trust, self-signed checks) rather than the client.</summary>
    public bool IsServer { get; }

    /// <summary>The name the certificate must cover (server only), or null when unknown.</summary>
    public string? HostName { get; }

    /// <summary>Where <see cref="HostName"/> came from, for messages (<c>myhostname</c>, <c>the SNI name</c>).</summary>
    public string? HostNameSource { get; }

    /// <summary>Why there is no <see cref="HostName"/> to check (reported once as information), or null to stay silent.</summary>
    public string? HostNameMissing { get; }

    public void Error(string code, string message) => Add(DiagnosticSeverity.Error, code, message);

    public void Warning(string code, string message) => Add(DiagnosticSeverity.Warning, code, message);

    public void Info(string code, string message) => Add(DiagnosticSeverity.Info, code, message);

    public void Add(DiagnosticSeverity severity, string code, string message) =>
        _output.Add(new Diagnostic(severity, code, Parameter, message, Span));
}
