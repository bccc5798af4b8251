namespace PostfixConfig;

/// <summary>Options for <see cref="PostfixTls.Render(TlsConfiguration, RenderOptions?)"/>.</summary>
/// <remarks>This type is immutable; change it with <c>with</c>.</remarks>
public sealed record RenderOptions
{
    /// <summary>The defaults: built-in templates, target release from the configuration.</summary>
    public static RenderOptions Default { get; } = new();

    /// <summary>
    /// A folder whose templates (<c>main.cf.sbn</c>, <c>tls_policy.sbn</c>, ...) replace the built-in
    /// ones of the same name (the CLI's <c>--templates</c>); <see langword="null"/> for the built-in ones only.
    /// </summary>
    public string? TemplateDirectory { get; init; }

    /// <summary>
    /// Reload hooks to write next to main.cf (a certbot deploy hook, a systemd path unit), so that
    /// Postfix picks up renewed certificates; <see cref="Certificates.ReloadHooks.None"/> by default.
    /// </summary>
    public Certificates.ReloadHooks ReloadHooks { get; init; }

    /// <summary>Validation settings, including a target release that overrides <c>postfix_version</c>.</summary>
    public ValidationOptions Validation { get; init; } = ValidationOptions.Default;
}
