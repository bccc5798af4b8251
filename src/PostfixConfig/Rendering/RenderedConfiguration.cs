using System.Collections.Immutable;
using System.Text;

namespace PostfixConfig.Rendering;

/// <summary>
/// One rendered file: its name relative to the output folder and its text (LF line ends, one
/// trailing newline). Large files are produced on demand; <see cref="WriteTo(TextWriter)"/> streams them.
/// </summary>
/// <remarks>This type is immutable and thread-safe.</remarks>
public sealed class RenderedFile
{
    private readonly Action<TextWriter> _write;
    private readonly Lazy<string> _content;

    internal RenderedFile(string fileName, RenderedFileKind kind, Action<TextWriter> write, string? mapType = null, string? mapPath = null, bool isExecutable = false)
    {
        FileName = fileName;
        IsExecutable = isExecutable;
        Kind = kind;
        MapType = mapType;
        MapPath = mapPath;
        _write = write;
        _content = new Lazy<string>(() =>
        {
            using var sw = new StringWriter(new StringBuilder(), System.Globalization.CultureInfo.InvariantCulture) { NewLine = "\n" };
            write(sw);
            return sw.ToString();
        });
    }

    internal RenderedFile(string fileName, RenderedFileKind kind, string content, string? mapType = null, string? mapPath = null, bool isExecutable = false)
        : this(fileName, kind, w => w.Write(content), mapType, mapPath, isExecutable)
    {
    }

    /// <summary>The file name relative to the output folder (<c>main.cf</c>, <c>tls_policy</c>).</summary>
    public string FileName { get; }

    /// <summary>What the file is.</summary>
    public RenderedFileKind Kind { get; }

    /// <summary>For maps: the table type named in main.cf (<c>hash</c>), which <c>postmap</c> needs.</summary>
    public string? MapType { get; }

    /// <summary>For maps: the path main.cf names on the mail host (<c>/etc/postfix/tls_policy</c>).</summary>
    public string? MapPath { get; }

    /// <summary>Whether the file is a program (a reload hook script): <see cref="RenderedConfiguration.WriteTo"/> gives it mode 0755.</summary>
    public bool IsExecutable { get; }

    /// <summary>The whole text (built on first use).</summary>
    public string Content => _content.Value;

    /// <summary>Writes the text to <paramref name="writer"/> without building it as one string first.</summary>
    public void WriteTo(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (_content.IsValueCreated)
        {
            writer.Write(_content.Value);
        }
        else
        {
            _write(writer);
        }
    }

    /// <inheritdoc />
    public override string ToString() => FileName;
}

/// <summary>The files rendered from one configuration: main.cf first, then the maps.</summary>
/// <remarks>This type is immutable and thread-safe.</remarks>
public sealed class RenderedConfiguration
{
    internal RenderedConfiguration(ImmutableArray<RenderedFile> files) => Files = files;

    /// <summary>Every rendered file, main.cf first.</summary>
    public ImmutableArray<RenderedFile> Files { get; }

    /// <summary>The rendered main.cf.</summary>
    public RenderedFile MainCf => Files.First(f => f.Kind == RenderedFileKind.MainCf);

    /// <summary>The file with the given name, or <see langword="null"/>.</summary>
    public RenderedFile? Find(string fileName) => Files.FirstOrDefault(f => f.FileName == fileName);

    /// <summary>
    /// Writes every file into <paramref name="directory"/> (created if needed), all or nothing: each
    /// file goes to a temporary file in the same folder, is flushed to disk, and only when all are
    /// complete are they renamed into place; on any failure no file is changed and no temporary file
    /// is left. New files get mode 0644 (<see cref="RenderedFile.IsExecutable"/> files, the reload hook
    /// scripts, 0755); a replaced file keeps its mode, owner and group. A symbolic
    /// link in the folder is refused unless <see cref="WriteOptions.FollowSymlinks"/> allows it (and
    /// then only when it leads to a file inside the folder).
    /// </summary>
    /// <returns>The full paths written.</returns>
    /// <exception cref="IOException">A file could not be written, or writing was refused; the message says why, and nothing was changed.</exception>
    public IReadOnlyList<string> WriteTo(string directory, WriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var written = IO.AtomicFileWriter.Write(
            directory, Files.Select(f => (f.FileName, (Action<TextWriter>)f.WriteTo, f.IsExecutable)), options ?? WriteOptions.Default);
        return written;
    }
}
