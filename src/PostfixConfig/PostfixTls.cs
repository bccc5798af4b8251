using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;
using PostfixConfig.Rendering;
using PostfixConfig.Validation;
using PostfixConfig.Yaml;

namespace PostfixConfig;

/// <summary>
/// The front door: read a configuration from YAML, validate it for its Postfix release, and
/// render main.cf and the policy map files.
/// </summary>
/// <example>
/// <code>
/// var loaded = PostfixTls.LoadYamlFile("newsletter.yaml");
/// var rendered = PostfixTls.Render(loaded.GetValueOrThrow());
/// foreach (var d in rendered.Diagnostics) Console.Error.WriteLine(d);
/// if (!rendered.HasErrors) File.WriteAllText("main.cf", rendered.Value.MainCf.Content);
/// </code>
/// </example>
/// <remarks>
/// Invalid input never throws: problems come back as diagnostics in the result. Only programming
/// errors (null arguments) and I/O failures throw. All members are thread-safe.
/// </remarks>
public static partial class PostfixTls
{
    /// <summary>Reads a configuration from YAML text (structure only; see <see cref="Validate"/>).</summary>
    /// <param name="yaml">The YAML text.</param>
    /// <param name="path">The file name to use in diagnostics, or <see langword="null"/>.</param>
    /// <param name="options">Input limits, or <see langword="null"/> for <see cref="LoadOptions.Default"/>.</param>
    public static Result<TlsConfiguration> LoadYaml(string yaml, string? path = null, LoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        return ConfigYamlReader.Read(yaml, path, options ?? LoadOptions.Default);
    }

    /// <summary>
    /// Reads a configuration from a YAML file (UTF-8, or UTF-16 with a byte order mark). At most
    /// <see cref="LoadOptions.MaxInputChars"/> characters are read, so a pipe or device that never
    /// ends is refused rather than read into memory.
    /// </summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be read (permissions, or it is a folder).</exception>
    public static Result<TlsConfiguration> LoadYamlFile(string path, LoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        return ConfigYamlReader.ReadFile(path, options ?? LoadOptions.Default);
    }

    /// <summary>
    /// Checks a configuration for the Postfix release it is for (its <see cref="TlsConfiguration.PostfixVersion"/>,
    /// or <see cref="ValidationOptions.PostfixVersion"/>, or else the newest stable release known).
    /// </summary>
    public static DiagnosticList Validate(TlsConfiguration config, ValidationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        return ConfigurationValidation.Run(config, options ?? ValidationOptions.Default).Diagnostics;
    }

    /// <summary>
    /// Validates and renders main.cf and the policy map. When validation finds an error the result
    /// has no value (nothing to write) and carries the diagnostics.
    /// </summary>
    /// <exception cref="TemplateException">A user template is missing, does not parse or fails.</exception>
    public static Result<RenderedConfiguration> Render(TlsConfiguration config, RenderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        options ??= RenderOptions.Default;
        return ConfigurationRenderer.Render(ConfigurationValidation.Run(config, options.Validation), options);
    }

    /// <summary>
    /// Validates a configuration and expands its profile and service defaults: the effective settings
    /// that rendering writes, with where each comes from. No value when validation finds an error.
    /// </summary>
    public static Result<ExpandedConfiguration> Expand(TlsConfiguration config, ValidationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var validated = ConfigurationValidation.Run(config, options ?? ValidationOptions.Default);
        return new Result<ExpandedConfiguration>(validated.Expanded, validated.Diagnostics);
    }

    /// <summary>
    /// The OpenSSL version profiles assume for a Postfix release when the configuration gives none:
    /// the one Debian builds that release line with (for example 3.0 for Postfix 3.7, Debian 12).
    /// </summary>
    public static OpenSslVersion DefaultOpenSslVersion(PostfixVersion version) => ProfileCatalog.Default.DefaultOpenSsl(version);

    /// <summary>Writes a configuration as YAML in the shape <see cref="LoadYaml(string, string?, LoadOptions?)"/> reads.</summary>
    public static string ToYaml(TlsConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return ConfigYamlWriter.Write(config);
    }
}
