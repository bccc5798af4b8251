using System.Collections.Concurrent;
using PostfixConfig.Text;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;

namespace PostfixConfig.Rendering;

/// <summary>
/// Where templates come from: a user folder first (when given), then the templates embedded in
/// the library from the repository's <c>templates/</c> folder. An override replaces a whole file.
/// Includes resolve the same way and never leave the user folder: not by <c>..</c>, not by an
/// absolute path, and not through a symbolic link that leads out of it.
/// </summary>
internal sealed class TemplateSource : ITemplateLoader
{
    private const string ResourcePrefix = "PostfixConfig.Templates.";
    private const string EmbeddedScheme = "embedded:";
    private static readonly ConcurrentDictionary<string, Template> EmbeddedCache = new(StringComparer.Ordinal);

    private readonly string? _userDirectory;

    /// <exception cref="TemplateException">The user folder does not exist.</exception>
    public TemplateSource(string? userDirectory)
    {
        if (userDirectory is null)
        {
            return;
        }

        if (!Directory.Exists(userDirectory))
        {
            throw new TemplateException(userDirectory, "the templates folder does not exist");
        }

        // The folder itself may be reached through a link; what is inside it may not lead out of it.
        _userDirectory = IO.SafePaths.RealPath(userDirectory);
    }

    /// <summary>Whether a user folder is in play (then every template runs sandboxed, see <see cref="TemplateLimits"/>).</summary>
    public bool HasUserFolder => _userDirectory is not null;

    /// <summary>The names of the embedded templates (<c>main.cf.sbn</c>, ...).</summary>
    public static IEnumerable<string> EmbeddedNames() =>
        typeof(TemplateSource).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Select(n => n[ResourcePrefix.Length..]);

    /// <summary>Whether the template comes from the user's folder.</summary>
    public bool IsUserTemplate(string name) => UserPath(name) is not null;

    /// <summary>The parsed template for <paramref name="name"/>; embedded templates are parsed once per process.</summary>
    public Template Get(string name)
    {
        var path = GetPath(name);
        if (path.StartsWith(EmbeddedScheme, StringComparison.Ordinal))
        {
            return EmbeddedCache.GetOrAdd(name, n => Parse(LoadEmbedded(n), path));
        }

        return Parse(ReadUserFile(path), path);
    }

    private static Template Parse(string text, string path)
    {
        var template = Template.Parse(text, path);
        if (template.HasErrors)
        {
            throw new TemplateException(path, string.Join("; ", template.Messages));
        }

        return template;
    }

    /// <summary>
    /// The real path of a template in the user folder, or null when there is none by that name.
    /// A name or link that leads out of the folder is an error, not a reason to fall back to the built-in template.
    /// </summary>
    private string? UserPath(string name)
    {
        if (_userDirectory is null)
        {
            return null;
        }

        if (name.Length == 0 || Path.IsPathRooted(name) || name.Split('/', '\\').Contains("..") || name.Any(char.IsControl))
        {
            throw new TemplateException(PostfixText.Printable(name), "a template name must be a path inside the templates folder");
        }

        var real = IO.SafePaths.RealPath(Path.Combine(_userDirectory, name));
        if (!IO.SafePaths.IsInside(real, _userDirectory))
        {
            throw new TemplateException(name, $"it is a symbolic link that leads out of the templates folder (to {real}); copy the file into the folder instead");
        }

        return File.Exists(real) ? real : null;
    }

    /// <summary>Reads a user template, refusing files over <see cref="TemplateLimits.TemplateFileBytes"/> (a template is a page of text).</summary>
    private static string ReadUserFile(string path)
    {
        var length = new FileInfo(path).Length;
        if (length > TemplateLimits.TemplateFileBytes)
        {
            throw new TemplateException(path, $"the file is {length} bytes long; templates are limited to {TemplateLimits.TemplateFileBytes} bytes");
        }

        try
        {
            using var reader = new StreamReader(new MemoryStream(IO.BoundedFile.ReadAllBytes(path, TemplateLimits.TemplateFileBytes, regularOnly: true)), detectEncodingFromByteOrderMarks: true);
            return reader.ReadToEnd();
        }
        catch (IOException e)
        {
            throw new TemplateException(path, e.Message);
        }
    }

    private string GetPath(string name)
    {
        if (UserPath(name) is { } user)
        {
            return user;
        }

        if (typeof(TemplateSource).Assembly.GetManifestResourceInfo(ResourceName(name)) is not null)
        {
            return EmbeddedScheme + name;
        }

        throw new TemplateException(name, "no such template (neither in the templates folder nor built in)");
    }

    /// <summary>
    /// The resource name of an embedded template. Templates in sub-folders (<c>reload-hooks/...</c>)
    /// keep the folder separator of the build machine in their logical name.
    /// </summary>
    private static string ResourceName(string name)
    {
        foreach (var candidate in new[] { name, name.Replace('/', '\\'), name.Replace('/', '.') })
        {
            if (typeof(TemplateSource).Assembly.GetManifestResourceInfo(ResourcePrefix + candidate) is not null)
            {
                return ResourcePrefix + candidate;
            }
        }

        return ResourcePrefix + name;
    }

    private static string LoadEmbedded(string name)
    {
        using var stream = typeof(TemplateSource).Assembly.GetManifestResourceStream(ResourceName(name))
            ?? throw new TemplateException(name, "no such built-in template");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    string ITemplateLoader.GetPath(TemplateContext context, SourceSpan callerSpan, string templateName)
    {
        if (templateName.Contains("..", StringComparison.Ordinal) || Path.IsPathRooted(templateName) || templateName.Contains('\\', StringComparison.Ordinal))
        {
            throw new TemplateException(templateName, "includes must name a file inside the templates folder");
        }

        return GetPath(templateName);
    }

    string ITemplateLoader.Load(TemplateContext context, SourceSpan callerSpan, string templatePath) =>
        templatePath.StartsWith(EmbeddedScheme, StringComparison.Ordinal)
            ? LoadEmbedded(templatePath[EmbeddedScheme.Length..])
            : ReadUserFile(templatePath);

    ValueTask<string?> ITemplateLoader.LoadAsync(TemplateContext context, SourceSpan callerSpan, string templatePath) =>
        new(((ITemplateLoader)this).Load(context, callerSpan, templatePath));
}

/// <summary>
/// The limits on templates when a user templates folder is in play. The counts grow with the size of
/// the configuration, so a large policy table still renders; what a template cannot do is loop,
/// recurse or write without end.
/// </summary>
internal static class TemplateLimits
{
    /// <summary>Loop iterations in all, plus <see cref="LoopIterationsPerItem"/> for each parameter and policy entry.</summary>
    public const int LoopIterations = 1_000_000;

    /// <summary>Loop iterations allowed per parameter or policy entry of the configuration.</summary>
    public const int LoopIterationsPerItem = 64;

    /// <summary>Nested function calls and includes.</summary>
    public const int Recursion = 64;

    /// <summary>The longest single string a template may build (characters).</summary>
    public const int StringChars = 1 << 20;

    /// <summary>Output of one template in characters, plus <see cref="OutputCharsPerModelChar"/> for each character of the configuration.</summary>
    public const int OutputChars = 16 << 20;

    /// <summary>Output characters allowed per character of the configuration's names and values.</summary>
    public const int OutputCharsPerModelChar = 16;

    /// <summary>The largest template file accepted (bytes).</summary>
    public const int TemplateFileBytes = 1 << 20;

    /// <summary>How long one regular expression in a template may run.</summary>
    public static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(2);
}

/// <summary>A template is missing, does not parse, or failed while rendering.</summary>
public sealed class TemplateException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TemplateException(string template, string message)
        : base($"Template {template}: {message}")
    {
        Template = template;
    }

    /// <summary>Creates the exception.</summary>
    public TemplateException()
    {
        Template = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    public TemplateException(string message, Exception innerException)
        : base(message, innerException)
    {
        Template = string.Empty;
    }

    /// <summary>The template name or path.</summary>
    public string Template { get; }
}
