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
public static class PostfixTls
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

    /// <summary>Reads a configuration from a YAML file.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static Result<TlsConfiguration> LoadYamlFile(string path, LoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= LoadOptions.Default;
        var info = new FileInfo(path);
        if (info.Exists && info.Length > options.MaxInputChars * 4L)
        {
            return new Result<TlsConfiguration>(null, DiagnosticList.Create(
            [
                new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.InputTooLarge, null,
                    $"The file is {info.Length} bytes long; the limit is {options.MaxInputChars} characters.", new SourceSpan(path, 1, 1)),
            ]));
        }

        return ConfigYamlReader.ReadFile(path, options); // streamed: large files are not held as one string
    }

    /// <summary>
    /// Checks a configuration for the Postfix release it is for (its <see cref="TlsConfiguration.PostfixVersion"/>,
    /// or <see cref="ValidationOptions.PostfixVersion"/>, or else the newest stable release known).
    /// </summary>
    public static DiagnosticList Validate(TlsConfiguration config, ValidationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        return ConfigurationValidation.Validate(config, options ?? ValidationOptions.Default);
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
        var diagnostics = new List<Diagnostic>();
        var catalog = options.Validation.Catalog ?? ParameterCatalog.Default;
        var version = ConfigurationValidation.TargetVersion(config, options.Validation, catalog, []);
        var validation = ConfigurationValidation.Validate(config, options.Validation);
        diagnostics.AddRange(validation);
        if (validation.HasErrors || version is null)
        {
            return new Result<RenderedConfiguration>(null, DiagnosticList.Create(diagnostics));
        }

        var rendered = ConfigurationRenderer.Render(config, version.Value, options);
        return new Result<RenderedConfiguration>(rendered, DiagnosticList.Create(diagnostics));
    }

    /// <summary>Writes a configuration as YAML in the shape <see cref="LoadYaml(string, string?, LoadOptions?)"/> reads.</summary>
    public static string ToYaml(TlsConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return ConfigYamlWriter.Write(config);
    }
}
