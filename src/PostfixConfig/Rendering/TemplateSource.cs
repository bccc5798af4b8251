using System.Collections.Concurrent;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;

namespace PostfixConfig.Rendering;

/// <summary>
/// Where templates come from: a user folder first (when given), then the templates embedded in
/// the library from the repository's <c>templates/</c> folder. An override replaces a whole file.
/// Includes resolve the same way and never leave the user folder.
/// </summary>
internal sealed class TemplateSource : ITemplateLoader
{
    private const string ResourcePrefix = "PostfixConfig.Templates.";
    private const string EmbeddedScheme = "embedded:";
    private static readonly ConcurrentDictionary<string, Template> EmbeddedCache = new(StringComparer.Ordinal);

    private readonly string? _userDirectory;

    public TemplateSource(string? userDirectory)
    {
        _userDirectory = userDirectory is null ? null : Path.GetFullPath(userDirectory);
    }

    /// <summary>The names of the embedded templates (<c>main.cf.sbn</c>, ...).</summary>
    public static IEnumerable<string> EmbeddedNames() =>
        typeof(TemplateSource).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Select(n => n[ResourcePrefix.Length..]);

    /// <summary>Whether the template comes from the user's folder.</summary>
    public bool IsUserTemplate(string name) => UserPath(name) is { } p && File.Exists(p);

    /// <summary>The parsed template for <paramref name="name"/>; embedded templates are parsed once per process.</summary>
    public Template Get(string name)
    {
        var path = GetPath(name);
        if (path.StartsWith(EmbeddedScheme, StringComparison.Ordinal))
        {
            return EmbeddedCache.GetOrAdd(name, n => Parse(LoadEmbedded(n), path));
        }

        return Parse(File.ReadAllText(path), path);
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

    private string? UserPath(string name)
    {
        if (_userDirectory is null)
        {
            return null;
        }

        var full = Path.GetFullPath(Path.Combine(_userDirectory, name));
        var root = _userDirectory.EndsWith(Path.DirectorySeparatorChar) ? _userDirectory : _userDirectory + Path.DirectorySeparatorChar;
        return full.StartsWith(root, StringComparison.Ordinal) ? full : null;
    }

    private string GetPath(string name)
    {
        if (UserPath(name) is { } user && File.Exists(user))
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
        if (templateName.Contains("..", StringComparison.Ordinal) || Path.IsPathRooted(templateName))
        {
            throw new TemplateException(templateName, "includes must name a file inside the templates folder");
        }

        return GetPath(templateName);
    }

    string ITemplateLoader.Load(TemplateContext context, SourceSpan callerSpan, string templatePath) =>
        templatePath.StartsWith(EmbeddedScheme, StringComparison.Ordinal)
            ? LoadEmbedded(templatePath[EmbeddedScheme.Length..])
            : File.ReadAllText(templatePath);

    ValueTask<string?> ITemplateLoader.LoadAsync(TemplateContext context, SourceSpan callerSpan, string templatePath) =>
        new(((ITemplateLoader)this).Load(context, callerSpan, templatePath));
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
