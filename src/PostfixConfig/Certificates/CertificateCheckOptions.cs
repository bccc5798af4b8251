using System.Security.Cryptography.X509Certificates;

namespace PostfixConfig.Certificates;

/// <summary>Options for <see cref="PostfixTls.CheckFiles(TlsConfiguration, CertificateCheckOptions?)"/>.</summary>
/// <remarks>This type is immutable; change it with <c>with</c>.</remarks>
public sealed record CertificateCheckOptions
{
    /// <summary>The defaults: system clock, 14 days of warning, <c>myhostname</c> from the configuration, the system trust store.</summary>
    public static CertificateCheckOptions Default { get; } = new();

    /// <summary>The clock that decides whether a certificate is valid now (tests pass a fixed one).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>A certificate that expires sooner than this gets a warning (default 14 days); an expired one is an error.</summary>
    public TimeSpan ExpiryWarning { get; init; } = TimeSpan.FromDays(14);

    /// <summary>
    /// The name the MX record points to, which the server certificate must cover; <see langword="null"/>
    /// for the configuration's <c>myhostname</c>.
    /// </summary>
    public string? HostName { get; init; }

    /// <summary>
    /// Root certificates to trust instead of the system trust store (for a private CA, or tests);
    /// <see langword="null"/> for the system store. Only affects the information about the trust chain.
    /// </summary>
    public IReadOnlyList<X509Certificate2>? TrustedRoots { get; init; }

    /// <summary>What <c>$config_directory</c> means when the configuration does not set it (default <c>/etc/postfix</c>).</summary>
    public string ConfigDirectory { get; init; } = "/etc/postfix";
}
