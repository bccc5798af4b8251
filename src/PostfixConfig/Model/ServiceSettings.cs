using PostfixConfig.Diagnostics;

namespace PostfixConfig;

/// <summary>
/// One smtpd service of master.cf that the configuration manages (an entry of <c>services</c> in
/// YAML): <c>submission</c> (port 587, STARTTLS), <c>submissions</c> (port 465, TLS at once),
/// <c>smtps</c> (the older name of <c>submissions</c>) or <c>smtp</c> (the port 25 service), with
/// the parameters its <c>-o</c> options override.
/// </summary>
/// <remarks>
/// <para>
/// Every service also gets the overrides the catalog gives it (<c>Catalog/Data/services.txt</c>):
/// <c>smtpd_tls_security_level=encrypt</c> on submission, <c>smtpd_tls_wrappermode=yes</c> on
/// submissions; <see cref="Overrides"/> win over those. Overrides are checked by the same catalog
/// and rules as main.cf parameters.
/// </para>
/// <para>
/// Equality compares <see cref="Name"/>, <see cref="Listen"/> and <see cref="Overrides"/>, not
/// positions. This type is immutable.
/// </para>
/// </remarks>
public sealed record ServiceSettings
{
    /// <summary>Creates the settings of a service.</summary>
    /// <param name="name">The service: <c>submission</c>, <c>submissions</c>, <c>smtps</c> or <c>smtp</c>.</param>
    public ServiceSettings(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
    }

    /// <summary>The service: <c>submission</c>, <c>submissions</c>, <c>smtps</c> or <c>smtp</c>.</summary>
    public string Name { get; }

    /// <summary>
    /// The master.cf service field, where the service listens (<c>127.0.0.1:submission</c>,
    /// <c>192.0.2.1:587</c>), or <see langword="null"/> for <see cref="Name"/> on every address
    /// (<c>listen</c> in YAML).
    /// </summary>
    public string? Listen { get; init; }

    /// <summary>The parameters the service's <c>-o</c> options set, by Postfix name.</summary>
    public ParameterMap Overrides { get; init; } = ParameterMap.Empty;

    /// <summary>Where the service was named in the input, for diagnostics; not part of equality.</summary>
    public SourceSpan? Span { get; init; }

    /// <summary>Where <see cref="Listen"/> was given in the input; not part of equality.</summary>
    internal SourceSpan? ListenSpan { get; init; }

    /// <summary>A copy with a parameter set through its typed key.</summary>
    public ServiceSettings Set<T>(TlsParameter<T> parameter, T value) => this with { Overrides = Overrides.Set(parameter, value) };

    /// <summary>A copy with a parameter set to Postfix text.</summary>
    public ServiceSettings Set(string name, string value) => this with { Overrides = Overrides.Set(name, value) };

    /// <inheritdoc />
    public bool Equals(ServiceSettings? other) =>
        other is not null && Name == other.Name && Listen == other.Listen && Overrides.Equals(other.Overrides);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, Listen, Overrides);
}
