using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using PostfixConfig.Diagnostics;
using PostfixConfig.Rendering;

namespace PostfixConfig.Testing;

/// <summary>
/// Assertions on a <see cref="TlsConfiguration"/> for unit tests of infrastructure code. Each one is the
/// library's own check (<see cref="PostfixTls.Expand"/>, <see cref="PostfixTls.Render"/>); on failure it
/// throws <see cref="PostfixConfigAssertionException"/> whose message names the host, the parameter and
/// the diagnostic code. On success it returns what it computed, for further assertions.
/// </summary>
/// <remarks>
/// The label in messages is <c>label</c> when given, else the configuration's
/// <see cref="TlsConfiguration.SourcePath"/>, else the expression the test passed
/// (<c>Hosts.Newsletter</c>).
/// </remarks>
/// <example>
/// <code>
/// Hosts.Newsletter.ShouldValidate(PostfixVersion.Parse("3.7"), noWarnings: true);
/// Hosts.Submission.ShouldHaveEffectiveValue("smtpd_tls_security_level", "encrypt", service: "submission");
/// </code>
/// </example>
public static partial class PostfixConfigAssert
{
    /// <summary>
    /// Asserts that <paramref name="config"/> validates with no error (and, with <paramref name="noWarnings"/>,
    /// no warning) for <paramref name="release"/>, or for its own <see cref="TlsConfiguration.PostfixVersion"/>
    /// when <paramref name="release"/> is <see langword="null"/>.
    /// </summary>
    /// <param name="config">The configuration.</param>
    /// <param name="release">The Postfix release to validate for, overriding the configuration's; <see langword="null"/> for the configuration's own.</param>
    /// <param name="noWarnings">Whether a warning fails the assertion too.</param>
    /// <param name="label">The host or configuration name for messages.</param>
    /// <param name="expression">Filled in by the compiler.</param>
    /// <returns>The effective configuration (profile and service defaults expanded, with the origin of each value).</returns>
    /// <exception cref="PostfixConfigAssertionException">Validation found an error (or a warning).</exception>
    public static ExpandedConfiguration ShouldValidate(
        this TlsConfiguration config,
        PostfixVersion? release = null,
        bool noWarnings = false,
        string? label = null,
        [CallerArgumentExpression(nameof(config))] string? expression = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var target = release is { } r ? config with { PostfixVersion = r } : config;
        var expanded = PostfixTls.Expand(target);
        var failing = expanded.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error || (noWarnings && d.Severity == DiagnosticSeverity.Warning)).ToList();
        if (failing.Count > 0 || expanded.Value is null)
        {
            throw Failure(Label(config, label, expression), $"does not validate for Postfix {ReleaseText(target)}", failing);
        }

        return expanded.Value;
    }

    /// <summary>Asserts that <paramref name="config"/> validates and renders (main.cf, master.cf, maps).</summary>
    /// <param name="config">The configuration.</param>
    /// <param name="options">Render options (release, templates), or <see langword="null"/> for the defaults.</param>
    /// <param name="label">The host or configuration name for messages.</param>
    /// <param name="expression">Filled in by the compiler.</param>
    /// <returns>The rendered files.</returns>
    /// <exception cref="PostfixConfigAssertionException">Validation found an error, or a template failed.</exception>
    public static RenderedConfiguration ShouldRender(
        this TlsConfiguration config,
        RenderOptions? options = null,
        string? label = null,
        [CallerArgumentExpression(nameof(config))] string? expression = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var name = Label(config, label, expression);
        Result<RenderedConfiguration> rendered;
        try
        {
            rendered = PostfixTls.Render(config, options);
        }
        catch (TemplateException e)
        {
            throw new PostfixConfigAssertionException($"{name}: does not render: {e.Message}", e);
        }

        if (rendered.Value is null)
        {
            throw Failure(name, $"does not render for Postfix {ReleaseText(config, options?.Validation.PostfixVersion)}", rendered.Diagnostics.Errors);
        }

        return rendered.Value;
    }

    /// <summary>
    /// The effective setting of <paramref name="parameter"/> (in main.cf, or as an <c>-o</c> override of
    /// <paramref name="service"/> in master.cf) with where it comes from: the library's own expansion
    /// (<see cref="ExpandedConfiguration.Origins"/>). Asserts that the configuration validates and that
    /// the parameter is set (explicitly, by the profile, or by the service's defaults).
    /// </summary>
    /// <param name="config">The configuration.</param>
    /// <param name="parameter">The Postfix parameter name (<c>smtpd_tls_security_level</c>).</param>
    /// <param name="service">The master.cf service (<c>submission</c>), or <see langword="null"/> for main.cf.</param>
    /// <param name="label">The host or configuration name for messages.</param>
    /// <param name="expression">Filled in by the compiler.</param>
    /// <exception cref="PostfixConfigAssertionException">The configuration does not validate, or does not set the parameter.</exception>
    public static ValueOrigin EffectiveSetting(
        this TlsConfiguration config,
        string parameter,
        string? service = null,
        string? label = null,
        [CallerArgumentExpression(nameof(config))] string? expression = null)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        var name = Label(config, label, expression);
        var expanded = config.ShouldValidate(label: name);
        return expanded.Origins.FirstOrDefault(o => o.Service == service && o.Name == parameter)
            ?? throw new PostfixConfigAssertionException($"{name}: {Where(parameter, service)} is not set (neither explicitly, nor by a profile or service default); Postfix uses its built-in default.");
    }

    /// <summary>
    /// Asserts that the effective value of <paramref name="parameter"/> (see <see cref="EffectiveSetting"/>)
    /// is <paramref name="expected"/> as written to main.cf / master.cf, and, when <paramref name="source"/>
    /// is given, that it comes from there (<see cref="ValueSource.Main"/> for explicit, <see cref="ValueSource.Profile"/>,
    /// <see cref="ValueSource.Service"/>, <see cref="ValueSource.ServiceDefault"/>).
    /// </summary>
    /// <param name="config">The configuration.</param>
    /// <param name="parameter">The Postfix parameter name.</param>
    /// <param name="expected">The expected value text (<c>encrypt</c>).</param>
    /// <param name="source">The expected origin, or <see langword="null"/> for any.</param>
    /// <param name="service">The master.cf service, or <see langword="null"/> for main.cf.</param>
    /// <param name="label">The host or configuration name for messages.</param>
    /// <param name="expression">Filled in by the compiler.</param>
    /// <returns>The setting.</returns>
    /// <exception cref="PostfixConfigAssertionException">The value or its origin differs.</exception>
    public static ValueOrigin ShouldHaveEffectiveValue(
        this TlsConfiguration config,
        string parameter,
        string expected,
        ValueSource? source = null,
        string? service = null,
        string? label = null,
        [CallerArgumentExpression(nameof(config))] string? expression = null)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var name = Label(config, label, expression);
        var setting = config.EffectiveSetting(parameter, service, name);
        if (!string.Equals(setting.Value.Trim(), expected.Trim(), StringComparison.Ordinal) || (source is { } s && setting.Source != s))
        {
            throw new PostfixConfigAssertionException(string.Create(CultureInfo.InvariantCulture,
                $"{name}: {Where(parameter, service)}: expected \"{expected}\"{(source is null ? string.Empty : $" from {source}")}, but it is \"{setting.Value}\" from {setting.Source} ({setting.Detail})."));
        }

        return setting;
    }

    /// <summary>Formats diagnostics as the assertion messages do: one line each, prefixed with the label.</summary>
    /// <param name="label">The host or configuration name.</param>
    /// <param name="diagnostics">The diagnostics.</param>
    public static string Format(string label, IEnumerable<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(label);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var sb = new StringBuilder();
        foreach (var d in diagnostics)
        {
            sb.Append("  ").Append(label).Append(": ").Append(d.SeverityText).Append(' ').Append(d.Code);
            if (d.Parameter is not null)
            {
                sb.Append(' ').Append(d.Parameter);
            }

            sb.Append(": ").Append(d.Message);
            if (d.Span is { } span)
            {
                sb.Append(CultureInfo.InvariantCulture, $" ({span.File}({span.Line},{span.Column}))");
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }

    internal static string Label(TlsConfiguration config, string? label, string? expression)
    {
        ArgumentNullException.ThrowIfNull(config);
        return label ?? config.SourcePath ?? expression ?? "configuration";
    }

    private static string Where(string parameter, string? service) => service is null ? parameter : $"{parameter} (master.cf service {service})";

    private static string ReleaseText(TlsConfiguration config, PostfixVersion? fallback = null) =>
        (config.PostfixVersion ?? fallback)?.ToString() ?? "(newest known release)";

    private static PostfixConfigAssertionException Failure(string label, string what, IEnumerable<Diagnostic> diagnostics)
    {
        var list = diagnostics.ToList();
        return new PostfixConfigAssertionException($"{label}: {what}: {list.Count} problem(s):\n{Format(label, list)}");
    }
}
