using System.Runtime.CompilerServices;
using System.Text;
using PostfixConfig.Rendering;

namespace PostfixConfig.Testing;

/// <summary>
/// Golden files: the rendered files of a configuration compared with the reviewed copies committed
/// next to the test. On a difference the assertion shows a unified diff per file; with the
/// environment variable <c>UPDATE_GOLDEN=1</c> it rewrites the folder instead (then review the change
/// like code, with <c>git diff</c>).
/// </summary>
public static class GoldenFiles
{
    /// <summary>The environment variable that asks for the golden files to be rewritten (value <c>1</c>).</summary>
    public const string UpdateVariable = "UPDATE_GOLDEN";

    /// <summary>Whether <see cref="UpdateVariable"/> asks for the golden files to be rewritten.</summary>
    public static bool Updating => Environment.GetEnvironmentVariable(UpdateVariable) == "1";

    /// <summary>
    /// Renders <paramref name="config"/> (see <see cref="PostfixConfigAssert.ShouldRender"/>) and asserts
    /// that <paramref name="directory"/> holds exactly the rendered files with the same text.
    /// </summary>
    /// <param name="config">The configuration.</param>
    /// <param name="directory">The folder of golden files; a relative path is taken from the folder of the calling source file.</param>
    /// <param name="options">Render options, or <see langword="null"/> for the defaults.</param>
    /// <param name="label">The host or configuration name for messages.</param>
    /// <param name="expression">Filled in by the compiler.</param>
    /// <param name="callerFile">Filled in by the compiler.</param>
    /// <returns>The rendered files.</returns>
    /// <exception cref="PostfixConfigAssertionException">A file differs, is missing or is extra (unless updating).</exception>
    public static RenderedConfiguration ShouldMatchGoldenFiles(
        this TlsConfiguration config,
        string directory,
        RenderOptions? options = null,
        string? label = null,
        [CallerArgumentExpression(nameof(config))] string? expression = null,
        [CallerFilePath] string callerFile = "")
    {
        ArgumentNullException.ThrowIfNull(directory);
        var name = PostfixConfigAssert.Label(config, label, expression);
        var rendered = config.ShouldRender(options, name);
        var folder = Path.IsPathRooted(directory) || string.IsNullOrEmpty(callerFile)
            ? Path.GetFullPath(directory)
            : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(callerFile)!, directory));
        Compare(name, folder, rendered.Files.Select(f => (f.FileName, f.Content)).ToList(), Updating);
        return rendered;
    }

    /// <summary>Compares (or, when <paramref name="update"/>, rewrites) a golden folder; the core of <see cref="ShouldMatchGoldenFiles"/>.</summary>
    internal static void Compare(string label, string folder, IReadOnlyList<(string Name, string Content)> files, bool update)
    {
        var expectedNames = files.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var existing = Directory.Exists(folder)
            ? Directory.GetFiles(folder).Select(Path.GetFileName).OfType<string>().ToList()
            : [];
        var extra = existing.Where(n => !expectedNames.Contains(n)).Order(StringComparer.Ordinal).ToList();
        if (update)
        {
            Directory.CreateDirectory(folder);
            foreach (var (fileName, content) in files)
            {
                File.WriteAllText(Path.Combine(folder, fileName), content, new UTF8Encoding(false));
            }

            foreach (var e in extra)
            {
                File.Delete(Path.Combine(folder, e));
            }

            return;
        }

        var report = new StringBuilder();
        foreach (var (fileName, content) in files)
        {
            var path = Path.Combine(folder, fileName);
            if (!File.Exists(path))
            {
                report.Append(fileName).Append(": missing from ").Append(folder).Append('\n');
                continue;
            }

            var expected = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
            if (expected != content)
            {
                report.Append(PostfixConfig.Text.UnifiedDiff.Create(expected, content, $"{fileName} (golden)", $"{fileName} (rendered)"));
            }
        }

        foreach (var e in extra)
        {
            report.Append(e).Append(": in ").Append(folder).Append(" but no longer rendered\n");
        }

        if (report.Length > 0)
        {
            throw new PostfixConfigAssertionException(
                $"{label}: the rendered files differ from the golden files in {folder} (review, then run the tests with {UpdateVariable}=1 to accept):\n{report}");
        }
    }
}
