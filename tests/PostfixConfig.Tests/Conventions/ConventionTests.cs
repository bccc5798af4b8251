using System.Reflection;
using PostfixConfig.Rendering;
using PostfixConfig.Tests.Support;
using Scriban;

namespace PostfixConfig.Tests.Conventions;

/// <summary>House conventions checked by reflection and by reading the sources.</summary>
public class ConventionTests
{
    private static readonly Assembly Library = typeof(PostfixTls).Assembly;

    [Fact]
    public void PublicClasses_AreSealedStaticOrAbstract()
    {
        var open = Library.GetExportedTypes()
            .Where(t => t.IsClass && !t.IsSealed && !t.IsAbstract)
            .Select(t => t.FullName)
            .ToList();
        Assert.True(open.Count == 0, "public classes must be sealed (or static/abstract): " + string.Join(", ", open));
    }

    [Fact]
    public void EmbeddedTemplates_AllParseWithoutMessages()
    {
        var names = TemplateSource.EmbeddedNames().ToList();
        Assert.Contains("main.cf.sbn", names);
        Assert.Contains("tls_policy.sbn", names);
        foreach (var name in names)
        {
            using var stream = Library.GetManifestResourceStream("PostfixConfig.Templates." + name)!;
            var template = Template.Parse(new StreamReader(stream).ReadToEnd(), name);
            Assert.False(template.HasErrors, $"{name}: {string.Join("; ", template.Messages)}");
        }
    }

    [Fact]
    public void EmbeddedTemplates_AreTheFilesInTheTemplatesFolder()
    {
        foreach (var file in Directory.GetFiles(RepoPaths.Templates, "*.sbn", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(RepoPaths.Templates, file);
            using var stream = Library.GetManifestResourceStream("PostfixConfig.Templates." + relative)
                ?? Library.GetManifestResourceStream("PostfixConfig.Templates." + relative.Replace('/', '.'));
            Assert.True(stream is not null, $"{relative} is not embedded");
            Assert.Equal(File.ReadAllText(file), new StreamReader(stream).ReadToEnd());
        }
    }

    [Fact]
    public void LibrarySources_NeverWriteToTheConsole()
    {
        var offenders = Directory.GetFiles(Path.Combine(RepoPaths.Root, "src", "PostfixConfig"), "*.cs", SearchOption.AllDirectories)
            .Where(f => File.ReadAllLines(f).Any(l => !l.TrimStart().StartsWith("///", StringComparison.Ordinal) && l.Contains("Console.", StringComparison.Ordinal)))
            .ToList();
        Assert.True(offenders.Count == 0, "the library must not print: " + string.Join(", ", offenders));
    }
}
